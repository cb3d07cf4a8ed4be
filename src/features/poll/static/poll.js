// poll.js — live updates for the presenter's screen and the participant's
// phone page of a live poll. Only an enhancement: without it the pages
// refresh themselves (a <noscript> meta refresh) and every control is a
// form. It listens to the page's Server-Sent Events stream
// (data-poll-stream): an event carries the poll's state and the current
// question's counts; new counts update the chart in place (bars, shares,
// a ranking's order, a scale's average, the word cloud, the latest
// answers); when the state changes (another question, a lock, results
// shown or hidden, the poll closed) the page loads again — phones after a
// short random wait, so a room does not ask all at once. On the
// presenter's screen ← and → (and a clicker's Page Up/Down) go to the
// previous and next question, F fills the screen. On the phone, giving a
// ranking's option a place that another option has swaps the two.
(function () {
	'use strict';
	var root = document.querySelector('[data-poll-stream]');
	var presenter = root && root.getAttribute('data-poll-role') === 'presenter';
	var lang = document.documentElement.lang || 'nl';

	function text(el, t) { if (el && el.textContent !== String(t)) el.textContent = String(t); }
	function decimal(v) {
		var s = (Math.round(v * 10) / 10).toFixed(1);
		return lang === 'nl' ? s.replace('.', ',') : s;
	}
	function count(el, n) {
		if (!el) return;
		var form = el.getAttribute(n === 1 ? 'data-one' : 'data-other');
		if (form) text(el, form.replace('%lld', String(n)));
	}
	function width(rect, attr, v) { if (rect) rect.setAttribute(attr, String(v)); }

	// Bars of choices: shares and widths (relative to the largest).
	function bars(box, opts, rank) {
		var max = 1;
		opts.forEach(function (o) { max = Math.max(max, rank ? o.points : o.n); });
		opts.forEach(function (o) {
			var li = box.querySelector('[data-option="' + o.id + '"]');
			if (!li) return;
			var v = rank ? o.points : o.n;
			width(li.querySelector('rect'), 'width', Math.round(100 * v / max));
			if (rank) text(li.querySelector('.op-poll-avg'), o.place === undefined ? '–' : decimal(o.place));
			else {
				text(li.querySelector('.op-poll-pct'), o.pct + '%');
				text(li.querySelector('.op-poll-n'), o.n);
			}
		});
		if (!rank) return;
		// most points first, the earlier option of equals
		var list = box.querySelector('ol');
		var order = opts.map(function (o, i) { return { o: o, i: i }; })
			.sort(function (a, b) { return b.o.points - a.o.points || a.i - b.i; });
		order.forEach(function (x, at) {
			var li = list && list.querySelector('[data-option="' + x.o.id + '"]');
			if (!li) return;
			list.appendChild(li);
			text(li.querySelector('.op-poll-place'), (at + 1) + '.');
		});
	}

	function scale(box, q) {
		var max = 1;
		q.scale.forEach(function (v) { max = Math.max(max, v.n); });
		q.scale.forEach(function (v) {
			var el = box.querySelector('[data-value="' + v.value + '"]');
			if (!el) return;
			var h = Math.round(100 * v.n / max), rect = el.querySelector('rect');
			if (presenter) { width(rect, 'height', h); width(rect, 'y', 100 - h); }
			else width(rect, 'width', h);
			text(el.querySelector('.op-poll-pct'), v.pct + '%');
		});
		text(box.querySelector('.op-poll-cscale-avg-n, .op-poll-rres-avg-n'), q.average === null ? '–' : decimal(q.average));
	}

	// A list rebuilt from items: label(item) for the text, cls(item) for the class.
	function list(box, selector, tag, items, label, cls) {
		var ul = box.querySelector(selector);
		if (!ul) {
			ul = document.createElement(tag);
			ul.className = selector.replace(/^[a-z]*\./, '').split('.').join(' ');
			box.appendChild(ul);
		}
		while (ul.children.length > items.length) ul.removeChild(ul.lastChild);
		items.forEach(function (it, i) {
			var li = ul.children[i];
			if (!li) { li = document.createElement('li'); ul.appendChild(li); }
			text(li, label(it));
			if (cls) li.className = cls(it);
		});
	}

	function cloud(box, words) {
		var svg = box.querySelector('svg.op-poll-cloud');
		if (!svg) { window.location.reload(); return; }
		var ns = 'http://www.w3.org/2000/svg';
		var texts = svg.querySelectorAll('text');
		for (var i = 0; i < texts.length; i++) svg.removeChild(texts[i]);
		words.forEach(function (w) {
			var t = document.createElementNS(ns, 'text');
			t.setAttribute('x', w.x);
			t.setAttribute('y', w.y);
			t.setAttribute('font-size', w.size);
			t.setAttribute('class', 'op-poll-cloud-t' + w.tone);
			t.setAttribute('text-anchor', 'middle');
			t.setAttribute('dominant-baseline', 'central');
			t.textContent = w.word;
			svg.appendChild(t);
		});
		list(box, 'ul.op-poll-cloud-list', 'ul', words, function (w) { return w.word + ': ' + w.n; });
	}

	function update(q) {
		var box = document.getElementById('res-' + q.id);
		if (!box) return;
		var kind = box.getAttribute('data-kind');
		count(box.querySelector('.op-poll-chart-voters, .op-poll-rres-voters'), q.voters);
		if (kind === 'single' || kind === 'multiple' || kind === 'ranking')
			bars(box, q.options || [], kind === 'ranking');
		if (q.scale) scale(box, q);
		if (q.cloud) cloud(box, q.cloud);
		if (q.words) {
			var top = q.words.length ? q.words[0].n : 1;
			list(box, 'ul.op-poll-rwords', 'ul', q.words, function (w) { return w.word + ' (' + w.n + ')'; },
				function (w) { return 'op-poll-rword-' + (1 + Math.floor(4 * w.n / top)); });
		}
		if (q.answers)
			list(box, presenter ? 'ul.op-poll-canswers' : 'ul.op-poll-rlist', 'ul', q.answers, function (a) { return a; });
		// "2 answers are not shown": hidden as personal data by an organiser
		if (q.hidden !== undefined) {
			var hid = box.querySelector('.op-poll-hidden');
			if (q.hidden > 0) count(hid, q.hidden);
			else text(hid, '');
		}
		root.setAttribute('data-poll-updated', String(Date.now()));
	}

	if (root && window.EventSource) {
		var sig = root.getAttribute('data-poll-sig');
		var es = new EventSource(root.getAttribute('data-poll-stream'));
		// Leaving the page (a control's form was sent): the next page shows
		// the new state; a reload now would only cut that navigation short.
		var leaving = false;
		window.addEventListener('submit', function () { leaving = true; es.close(); });
		window.addEventListener('beforeunload', function () { leaving = true; es.close(); });
		es.addEventListener('poll', function (ev) {
			var s;
			if (leaving) return;
			try { s = JSON.parse(ev.data); } catch (e) { return; }
			if (sig && s.sig !== sig) {
				es.close();
				// The room's phones do not all ask at the same moment.
				var wait = presenter || s.status === 'closed' ? 0 : Math.random() * 1500;
				window.setTimeout(function () { if (!leaving) window.location.reload(); }, wait);
				return;
			}
			if (s.question) update(s.question);
		});
	}

	// ---- the presenter's screen: keys and full screen ----
	var stage = document.querySelector('.op-poll-present');
	if (stage) {
		var controls = document.querySelector('.op-poll-present-controls');
		if (controls && document.documentElement.requestFullscreen) {
			var b = document.createElement('button');
			b.type = 'button';
			b.className = 'utrecht-button utrecht-button--secondary-action op-poll-fullscreen';
			b.textContent = stage.getAttribute('data-label-fullscreen') || 'Full screen';
			b.addEventListener('click', full);
			controls.insertBefore(b, controls.querySelector('a'));
		}
		document.addEventListener('keydown', function (e) {
			var t = e.target && e.target.tagName;
			if (e.altKey || e.ctrlKey || e.metaKey || t === 'INPUT' || t === 'SELECT' || t === 'TEXTAREA') return;
			var k = e.key;
			var go = k === 'ArrowRight' || k === 'PageDown' ? 'next'
				: k === 'ArrowLeft' || k === 'PageUp' ? 'previous' : null;
			if (go) {
				var btn = document.querySelector('[data-poll-key="' + go + '"]');
				if (btn) { e.preventDefault(); btn.click(); }
			} else if (k === 'f' || k === 'F') {
				e.preventDefault();
				full();
			}
		});
	}
	function full() {
		if (document.fullscreenElement) document.exitFullscreen();
		else document.documentElement.requestFullscreen();
	}

	// ---- the phone: a ranking keeps one option per place ----
	Array.prototype.forEach.call(document.querySelectorAll('.op-poll-phone-ranking'), function (set) {
		var selects = set.querySelectorAll('select');
		Array.prototype.forEach.call(selects, function (sel) {
			sel.setAttribute('data-was', sel.value);
			sel.addEventListener('change', function () {
				var was = sel.getAttribute('data-was');
				Array.prototype.forEach.call(selects, function (other) {
					if (other !== sel && other.value === sel.value) {
						other.value = was;
						other.setAttribute('data-was', was);
					}
				});
				sel.setAttribute('data-was', sel.value);
			});
		});
	});
})();
