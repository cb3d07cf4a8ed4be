/* chart.c — charts that pages share, drawn by the server as inline SVG
 * with a <title> and <desc> for screen readers. A chart never stands
 * alone: the page shows the same numbers in a table beside it. No
 * JavaScript, no external fonts; styling comes from app.css (.op-chart).
 */
#include "web.h"

void web_svg_bars(sb *out, const char *id, const char *title, const char *desc,
                  const char *const *labels, const int64_t *counts, size_t n)
{
	enum { ROW = 28, LABEL_W = 0, WIDTH = 600, BAR_X = 0 };
	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (counts[i] > max)
			max = counts[i];
	int height = (int)n * ROW * 2 + 8;
	sb_printf(out, "<svg class=\"op-chart\" role=\"img\" viewBox=\"0 0 %d %d\" "
	               "aria-labelledby=\"%s-title %s-desc\" xmlns=\"http://www.w3.org/2000/svg\">",
	          WIDTH, height, id, id);
	sb_printf(out, "<title id=\"%s-title\">", id);
	sb_html(out, title);
	sb_printf(out, "</title><desc id=\"%s-desc\">", id);
	sb_html(out, desc);
	sb_puts(out, "</desc>");
	for (size_t i = 0; i < n; i++) {
		int y = (int)i * ROW * 2 + 4;
		int w = max ? (int)((counts[i] * (WIDTH - 60)) / max) : 0;
		sb_printf(out, "<text class=\"op-chart__label\" x=\"%d\" y=\"%d\">", BAR_X + LABEL_W,
		          y + 18);
		sb_html(out, labels[i]);
		sb_printf(out, "</text><rect class=\"op-chart__bar\" x=\"%d\" y=\"%d\" width=\"%d\" "
		               "height=\"%d\"/>", BAR_X, y + ROW - 2, w > 0 ? w : 1, ROW - 8);
		sb_printf(out, "<text class=\"op-chart__value\" x=\"%d\" y=\"%d\">%lld</text>",
		          BAR_X + (w > 0 ? w : 1) + 6, y + ROW + 15, (long long)counts[i]);
	}
	sb_puts(out, "</svg>");
}
