/* chart.c — charts that pages share, drawn by the server as inline SVG
 * with a <title> and <desc> for screen readers. A chart never stands
 * alone: the page shows the same numbers in a table beside it. No
 * JavaScript, no external fonts; styling comes from app.css (.op-chart).
 */
#include <stdio.h>
#include <string.h>

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

/* ---- line charts ---- */

/* A step of 1, 2 or 5 times a power of ten, at least raw; *decimals gets
 * the decimals its multiples need. */
static double nice_step(double raw, int *decimals)
{
	double m = 1;
	int k = 0;
	if (!(raw > 0) || raw > 1e300)
		raw = 1;
	for (int i = 0; i < 400 && m * 10 <= raw; i++, k++)
		m *= 10;
	for (int i = 0; i < 400 && m > raw; i++, k--)
		m /= 10;
	static const double mult[] = { 1, 2, 5, 10 };
	double step = m;
	for (size_t i = 0; i < sizeof mult / sizeof *mult; i++)
		if (mult[i] * m >= raw) {
			step = mult[i] * m;
			if (mult[i] == 10)
				k++;
			break;
		}
	*decimals = k < 0 ? -k : 0;
	return step;
}

/* v written with `decimals` decimals and the decimal sign `dec`. */
static void line_number(sb *out, double v, int decimals, char dec)
{
	char buf[64];
	if (decimals > 12)
		decimals = 12;
	snprintf(buf, sizeof buf, "%.*f", decimals, v);
	if (!strcmp(buf, "-0") || (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)))
		memmove(buf, buf + 1, strlen(buf));
	for (char *p = buf; *p; p++)
		if (*p == '.')
			*p = dec ? dec : '.';
	sb_puts(out, buf);
}

static void line_title(sb *out, const char *label, const char *text)
{
	sb_puts(out, "<title>");
	if (label && *label) {
		sb_html(out, label);
		if (text && *text)
			sb_puts(out, ": ");
	}
	if (text)
		sb_html(out, text);
	sb_puts(out, "</title>");
}

static void legend_text(sb *out, int x, int y, const char *text)
{
	sb_printf(out, "<text class=\"op-chart__label\" x=\"%d\" y=\"%d\">", x, y);
	sb_html(out, text);
	sb_puts(out, "</text>");
}

void web_svg_line(sb *out, const web_line *c)
{
	enum { W = 480, H = 320, L = 56, R = 16, T = 24, B = 220 };
	/* the ranges of both axes over every point drawn */
	bool any = false;
	int64_t x0 = 0, x1 = 0;
	double y0 = 0, y1 = 0;
	const web_line_point *marks[2] = { c->start, c->goal };
	for (size_t i = 0; i < c->n + 2; i++) {
		const web_line_point *p = i < c->n ? &c->points[i] : marks[i - c->n];
		if (!p || p->y != p->y || p->y > 1e300 || p->y < -1e300)
			continue;
		if (!any || p->x < x0)
			x0 = p->x;
		if (!any || p->x > x1)
			x1 = p->x;
		if (!any || p->y < y0)
			y0 = p->y;
		if (!any || p->y > y1)
			y1 = p->y;
		any = true;
	}
	if (y0 > 0)
		y0 = 0;
	if (y1 <= y0)
		y1 = y0 + 1;
	int decimals;
	double step = nice_step((y1 - y0) / 4, &decimals);
	double lo = step * (double)(int64_t)(y0 / step), hi = step * (double)(int64_t)(y1 / step);
	if (lo > y0)
		lo -= step;
	if (hi < y1)
		hi += step;
	if (hi <= lo)
		hi = lo + step;
	double xspan = x1 > x0 ? (double)(x1 - x0) : 0;
#define PX(x) (xspan > 0 ? L + (double)((x) - x0) * (W - L - R) / xspan : (L + W - R) / 2.0)
#define PY(y) (B - ((y) - lo) * (B - T) / (hi - lo))

	sb_printf(out, "<svg class=\"op-chart op-chart--line\" role=\"img\" viewBox=\"0 0 %d %d\" "
	               "aria-labelledby=\"%s-title %s-desc\" xmlns=\"http://www.w3.org/2000/svg\">",
	          W, H, c->id, c->id);
	sb_printf(out, "<title id=\"%s-title\">", c->id);
	sb_html(out, c->title);
	sb_printf(out, "</title><desc id=\"%s-desc\">", c->id);
	sb_html(out, c->desc);
	sb_puts(out, "</desc>");
	/* horizontal grid lines with their values */
	int ticks = 0;
	for (double v = lo; v <= hi + step / 2 && ticks < 12; v += step, ticks++) {
		double y = PY(v);
		sb_printf(out, "<line class=\"op-chart__grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
		          L, y, W - R, y);
		sb_printf(out, "<text class=\"op-chart__label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
		          L - 8, y + 5);
		line_number(out, v, decimals, c->decimal);
		sb_puts(out, "</text>");
	}
	sb_printf(out, "<line class=\"op-chart__axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", L, B,
	          W - R, B);
	if (c->x_first && *c->x_first) {
		sb_printf(out, "<text class=\"op-chart__label\" x=\"%d\" y=\"%d\">", L, B + 26);
		sb_html(out, c->x_first);
		sb_puts(out, "</text>");
	}
	if (c->x_last && *c->x_last && xspan > 0) {
		sb_printf(out, "<text class=\"op-chart__label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		          W - R, B + 26);
		sb_html(out, c->x_last);
		sb_puts(out, "</text>");
	}
	/* the planned path, then the measured line over it */
	if (c->start && c->goal)
		sb_printf(out, "<line class=\"op-chart__path\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		               "y2=\"%.1f\"/>",
		          PX(c->start->x), PY(c->start->y), PX(c->goal->x), PY(c->goal->y));
	if (c->n > 1) {
		sb_puts(out, "<polyline class=\"op-chart__line\" points=\"");
		for (size_t i = 0; i < c->n; i++)
			sb_printf(out, "%s%.1f,%.1f", i ? " " : "", PX(c->points[i].x), PY(c->points[i].y));
		sb_puts(out, "\"/>");
	}
	if (c->start) {
		double x = PX(c->start->x), y = PY(c->start->y);
		sb_printf(out, "<rect class=\"op-chart__start\" x=\"%.1f\" y=\"%.1f\" width=\"12\" "
		               "height=\"12\">", x - 6, y - 6);
		line_title(out, c->start_label, c->start->text);
		sb_puts(out, "</rect>");
	}
	if (c->goal) {
		double x = PX(c->goal->x), y = PY(c->goal->y);
		sb_printf(out, "<polygon class=\"op-chart__goal\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f "
		               "%.1f,%.1f\">",
		          x, y - 8, x + 8, y, x, y + 8, x - 8, y);
		line_title(out, c->goal_label, c->goal->text);
		sb_puts(out, "</polygon>");
	}
	for (size_t i = 0; i < c->n; i++) {
		sb_printf(out, "<circle class=\"op-chart__dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\">",
		          PX(c->points[i].x), PY(c->points[i].y));
		line_title(out, NULL, c->points[i].text);
		sb_puts(out, "</circle>");
	}
	/* the legend: the measured line, the baseline's square and the
	 * target's diamond in a row, the planned path under them */
	int ly = B + 56, x = L;
	if (c->series_label && *c->series_label) {
		sb_printf(out, "<line class=\"op-chart__line\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		               "<circle class=\"op-chart__dot\" cx=\"%d\" cy=\"%d\" r=\"5\"/>",
		          x, ly - 5, x + 36, ly - 5, x + 18, ly - 5);
		legend_text(out, x + 46, ly, c->series_label);
		x += 150;
	}
	if (c->start && c->start_label && *c->start_label) {
		sb_printf(out, "<rect class=\"op-chart__start\" x=\"%d\" y=\"%d\" width=\"12\" "
		               "height=\"12\"/>", x + 12, ly - 11);
		legend_text(out, x + 34, ly, c->start_label);
		x += 130;
	}
	if (c->goal && c->goal_label && *c->goal_label) {
		sb_printf(out, "<polygon class=\"op-chart__goal\" points=\"%d,%d %d,%d %d,%d %d,%d\"/>",
		          x + 18, ly - 13, x + 26, ly - 5, x + 18, ly + 3, x + 10, ly - 5);
		legend_text(out, x + 34, ly, c->goal_label);
	}
	ly += 28;
	if (c->start && c->goal && c->path_label && *c->path_label) {
		sb_printf(out, "<line class=\"op-chart__path\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
		          L, ly - 5, L + 36, ly - 5);
		legend_text(out, L + 46, ly, c->path_label);
	}
	sb_puts(out, "</svg>");
#undef PX
#undef PY
}
