// input.js — the red-thread page reloads itself while a run is busy (a
// run takes seconds; without JavaScript the page links to itself instead).
(function () {
	'use strict';
	if (document.querySelector('[data-input-wait]'))
		setTimeout(function () { window.location.reload(); }, 2000);
})();
