// poll.js — live updates for the presenter view and the participant page of
// a live poll. Only an enhancement: without it the pages refresh themselves
// (a <noscript> meta refresh). Listens to the page's Server-Sent Events
// stream (data-poll-stream); new counts update the tables and bars in place;
// when the poll's state changes (another open question, locked, results
// shown or hidden) the page loads again.
(function () {
	'use strict';
	var root = document.querySelector('[data-poll-stream]');
	if (!root || !window.EventSource) return;
	var sig = root.getAttribute('data-poll-sig');

	function text(el, t) { if (el && el.textContent !== String(t)) el.textContent = String(t); }

	function bars(rows, key, valueOf) {
		var max = 1;
		rows.forEach(function (r) { max = Math.max(max, valueOf(r)); });
		rows.forEach(function (r) {
			var tr = document.querySelector(key(r));
			if (!tr) return;
			text(tr.querySelector('.op-poll-n'), valueOf(r));
			var rect = tr.querySelector('rect');
			if (rect) rect.setAttribute('width', String(Math.round(100 * valueOf(r) / max)));
		});
	}

	function list(box, cls, items, label) {
		var ul = box.querySelector('ul.' + cls);
		if (!ul) {
			ul = document.createElement('ul');
			ul.className = cls;
			box.appendChild(ul);
		}
		var lis = ul.children;
		items.forEach(function (it, i) {
			var li = lis[i];
			if (!li) { li = document.createElement('li'); ul.appendChild(li); }
			text(li, label(it));
		});
		while (ul.children.length > items.length) ul.removeChild(ul.lastChild);
	}

	function update(s) {
		s.questions.forEach(function (q) {
			var box = document.getElementById('res-' + q.id);
			if (!box) return;
			text(box.querySelector('.op-poll-voters-n'), q.voters);
			var rank = q.kind === 'ranking';
			if (q.options && q.options.length)
				bars(q.options, function (o) { return '#res-' + q.id + ' [data-option="' + o.id + '"]'; },
				     function (o) { return rank ? o.points : o.n; });
			if (q.scale)
				bars(q.scale, function (v) { return '#res-' + q.id + ' [data-value="' + v.value + '"]'; },
				     function (v) { return v.n; });
			if (q.words) list(box, 'op-poll-words', q.words, function (w) { return w.word + ' (' + w.n + ')'; });
			if (q.answers) list(box, 'op-poll-answers', q.answers, function (a) { return a; });
		});
		root.setAttribute('data-poll-updated', String(Date.now()));
	}

	var es = new EventSource(root.getAttribute('data-poll-stream'));
	es.addEventListener('poll', function (ev) {
		var s;
		try { s = JSON.parse(ev.data); } catch (e) { return; }
		if (sig && s.sig !== sig) {
			es.close();
			window.location.reload();
			return;
		}
		if (s.results) update(s);
	});

	// The presenter view can fill the screen.
	var stage = document.querySelector('.op-poll-present');
	if (stage && document.documentElement.requestFullscreen) {
		var b = document.createElement('button');
		b.type = 'button';
		b.className = 'utrecht-button utrecht-button--secondary-action op-poll-fullscreen';
		b.textContent = stage.getAttribute('data-label-fullscreen') || 'Full screen';
		b.addEventListener('click', function () {
			if (document.fullscreenElement) document.exitFullscreen();
			else document.documentElement.requestFullscreen();
		});
		var controls = stage.querySelector('.op-poll-controls');
		if (controls) controls.appendChild(b);
	}
})();
