// agenda.js — makes an idea board live: it listens to the board's event
// stream and applies each message (the notes changed since a version) to
// the page, so a note, a move or a dot from anyone shows within a second.
// When a message starts beyond the version this page has (a message was
// missed), it loads the board's JSON and applies all of it. On the
// facilitator's copy a new note comes as the server draws it (with its
// move, group and remove controls: the page is fetched and the new notes
// and the "group with" choices taken from it), so it can be moved at once.
// Without this script the board works with its forms and a page refresh.
(function () {
	'use strict';
	var board = document.getElementById('board');
	if (!board || !window.EventSource) return;
	var version = Number(board.getAttribute('data-version')) || 0;
	var live = board.querySelector('[data-live]');
	var csrfInput = document.querySelector('input[name="_csrf"]');
	var csrf = csrfInput ? csrfInput.value : '';
	var session = board.getAttribute('data-session');
	var canVote = !!board.querySelector('form[action$="/vote"]') || !!board.querySelector('[data-note-form]');
	var added = 0, announceTimer = null;
	var facilitator = board.hasAttribute('data-facilitator');
	var one = board.getAttribute('data-dots-one') || '%d dot';
	var many = board.getAttribute('data-dots-many') || '%d dots';
	var syncing = false, syncAgain = false;

	// "1 dot", "2 dots": the page's plural forms (Dutch and English share the rule).
	function dots(n) {
		return (n === 1 ? one : many).replace('%d', String(n));
	}

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined) e.textContent = text;
		return e;
	}
	function voteForm(id, text) {
		var f = el('form');
		f.method = 'post';
		f.action = '/sessions/' + session + '/board/notes/' + id + '/vote';
		var t = el('input'); t.type = 'hidden'; t.name = '_csrf'; t.value = csrf; f.appendChild(t);
		var d = el('input'); d.type = 'hidden'; d.name = 'dot'; d.value = 'add'; f.appendChild(d);
		var b = el('button', 'utrecht-button utrecht-button--secondary-action op-board-dot');
		b.type = 'submit';
		b.appendChild(document.createTextNode('+1 ' + (board.getAttribute('data-dot') || 'dot')));
		var h = el('span', 'rhc-visually-hidden', ': ' + text); b.appendChild(h);
		f.appendChild(b);
		var a = el('div', 'op-board-note__actions'); a.appendChild(f);
		return a;
	}
	function noteEl(n) {
		var li = el('li', 'op-board-note');
		li.id = 'note-' + n.id;
		li.setAttribute('data-note', n.id);
		li.appendChild(el('p', 'nl-paragraph op-board-note__text', n.text));
		if (n.theme) li.appendChild(el('p', 'nl-paragraph op-board-note__theme', n.theme.name));
		var v = el('p', 'nl-paragraph op-board-note__votes');
		var c = el('span', '', dots(n.votes)); c.setAttribute('data-votes', '');
		v.appendChild(c);
		li.appendChild(v);
		if (canVote && board.querySelector('[data-note-form]')) li.appendChild(voteForm(n.id, n.text));
		return li;
	}
	function listFor(n) {
		if (n.group_id) {
			var lead = document.getElementById('note-' + n.group_id);
			if (lead) {
				var g = lead.querySelector(':scope > ul.op-board-group');
				if (!g) { g = el('ul', 'op-board-group'); lead.appendChild(g); }
				return g;
			}
		}
		var col = board.querySelector('[data-column="' + n.column_id + '"] [data-notes]');
		return col;
	}
	function apply(n) {
		var li = document.getElementById('note-' + n.id);
		if (n.hidden) { if (li) li.remove(); return; }
		if (!li && facilitator) { added++; sync(); return; }
		if (!li) { li = noteEl(n); added++; }
		else {
			var t = li.querySelector(':scope > .op-board-note__text');
			if (t) t.textContent = n.text;
			var c = li.querySelector(':scope > .op-board-note__votes [data-votes]');
			if (c) c.textContent = dots(n.votes);
		}
		if (facilitator) sync();
		li.classList.toggle('op-board-note--grouped', !!n.group_id);
		var list = listFor(n);
		if (list && li.parentNode !== list) list.appendChild(li);
	}
	// The facilitator's copy: takes the notes it does not have yet, as the
	// server draws them, and the current "group with" choices of every note
	// (keeping what the facilitator has chosen but not yet sent).
	function sync() {
		if (syncing) { syncAgain = true; return; }
		syncing = true;
		fetch(location.pathname, { credentials: 'same-origin' })
			.then(function (r) { return r.text(); })
			.then(function (html) {
				var doc = new DOMParser().parseFromString(html, 'text/html');
				Array.prototype.forEach.call(doc.querySelectorAll('[data-note]'), function (fresh) {
					if (document.getElementById(fresh.id)) return;
					var into = fresh.parentNode && fresh.parentNode.closest('[data-note]');
					var list = into ? document.getElementById(into.id) : null;
					if (list) {
						var g = list.querySelector(':scope > ul.op-board-group');
						if (!g) { g = el('ul', 'op-board-group'); list.appendChild(g); }
						list = g;
					} else {
						var col = fresh.closest('[data-column]');
						list = col && board.querySelector('[data-column="' + col.getAttribute('data-column') + '"] [data-notes]');
					}
					if (list) list.appendChild(document.importNode(fresh, true));
				});
				Array.prototype.forEach.call(board.querySelectorAll('select[name="group_id"]'), function (sel) {
					var fresh = doc.getElementById(sel.id);
					if (!fresh) return;
					var keep = sel.value;
					sel.innerHTML = fresh.innerHTML;
					sel.value = keep;
					if (sel.value !== keep) sel.value = '';
				});
			})
			.catch(function () {})
			.then(function () {
				syncing = false;
				if (syncAgain) { syncAgain = false; sync(); }
			});
	}
	function announce() {
		if (!live || !added) return;
		if (announceTimer) return;
		announceTimer = setTimeout(function () {
			live.textContent = (board.getAttribute('data-new') || 'New notes on the board:') + ' ' + added;
			added = 0;
			announceTimer = null;
		}, 2000);
	}
	function applyAll(d) {
		(d.notes || []).forEach(apply);
		if (d.version > version) version = d.version;
		board.setAttribute('data-version', String(version));
		announce();
	}
	var reloading = false;
	function reload() {
		if (reloading) return;
		reloading = true;
		fetch(board.getAttribute('data-json'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
			.then(function (r) { return r.json(); })
			.then(function (j) {
				var b = j.board;
				var seen = {};
				b.notes.forEach(function (n) { seen[n.id] = true; });
				Array.prototype.forEach.call(board.querySelectorAll('[data-note]'), function (li) {
					if (!seen[li.getAttribute('data-note')]) li.remove();
				});
				version = 0;
				applyAll(b);
			})
			.catch(function () {})
			.then(function () { reloading = false; });
	}
	var es = new EventSource(board.getAttribute('data-stream') + '?since=' + version);
	es.addEventListener('board', function (ev) {
		var d;
		try { d = JSON.parse(ev.data); } catch (e) { return; }
		if (d.from > version) { reload(); return; }
		applyAll(d);
	});
})();
