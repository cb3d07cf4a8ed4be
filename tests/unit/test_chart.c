/* test_chart.c — the shared line chart (web_svg_line): an accessible
 * SVG whose title and description are escaped, whose measured line has a
 * dot per value in the right places, whose planned path and legend appear
 * only with a start and a goal, whose axis numbers use the decimal sign
 * asked for, and which stays a valid picture with no values, one value,
 * equal values or values below zero.
 */
#include "unit.h"

#include "web/web.h"

static char *draw(const web_line *c)
{
	sb out;
	sb_init(&out);
	web_svg_line(&out, c);
	assert_false(sb_failed(&out));
	return sb_take(&out);
}

/* The value of attribute name in the first element after `from` that has it. */
static double attr(const char *from, const char *name)
{
	char key[32];
	snprintf(key, sizeof key, " %s=\"", name);
	const char *p = strstr(from, key);
	assert_non_null(p);
	return strtod(p + strlen(key), NULL);
}

static const web_line_point measured[] = {
	{ 18717, 1, "31 maart 2021: 1" },   { 18808, 2, "30 juni 2021: 2" },
	{ 18900, 3, "30 september 2021: 3" }, { 18992, 4, "31 december 2021: 4" },
	{ 19082, 5, "31 maart 2022: 5 <plannen>" },
};
static const web_line_point base = { 18631, 0, "0, 4 januari 2021" };
static const web_line_point goal = { 19173, 12, "12, 30 juni 2022" };

TEST(line_chart_has_accessible_names_and_escapes)
{
	web_line c = { .id = "ind-1", .title = "Plannen \"openbaar\" & <meer>", .desc = "Lijngrafiek <b>",
		       .points = measured, .n = 5, .start = &base, .goal = &goal,
		       .start_label = "Nulmeting", .goal_label = "Doel", .series_label = "Gemeten",
		       .path_label = "Rechte lijn", .x_first = "4 januari 2021", .x_last = "30 juni 2022",
		       .decimal = ',' };
	char *s = draw(&c);
	assert_contains(s, "role=\"img\"");
	assert_contains(s, "aria-labelledby=\"ind-1-title ind-1-desc\"");
	assert_contains(s, "<title id=\"ind-1-title\">Plannen &quot;openbaar&quot; &amp; &lt;meer&gt;</title>");
	assert_contains(s, "<desc id=\"ind-1-desc\">Lijngrafiek &lt;b&gt;</desc>");
	assert_contains(s, "<title>31 maart 2022: 5 &lt;plannen&gt;</title>");
	assert_not_contains(s, "<b>");
	assert_not_contains(s, "<plannen>");
	assert_contains(s, "4 januari 2021");
	assert_contains(s, "30 juni 2022");
	assert_true(strncmp(s, "<svg", 4) == 0);
	assert_true(strcmp(s + strlen(s) - 6, "</svg>") == 0);
	free(s);
}

TEST(line_chart_draws_every_value_in_place)
{
	web_line c = { .id = "c", .title = "t", .desc = "d", .points = measured, .n = 5,
		       .start = &base, .goal = &goal, .start_label = "Nulmeting", .goal_label = "Doel",
		       .series_label = "Gemeten", .path_label = "Rechte lijn", .decimal = ',' };
	char *s = draw(&c);
	/* five dots on the chart, one more in the legend */
	assert_int_equal(count_occurrences(s, "<circle class=\"op-chart__dot\""), 6);
	const char *poly = strstr(s, "<polyline class=\"op-chart__line\" points=\"");
	assert_non_null(poly);
	const char *pts = strchr(strstr(poly, "points=\""), '"') + 1;
	int commas = 0;
	for (const char *p = pts; *p != '"'; p++)
		commas += *p == ',';
	assert_int_equal(commas, 5);
	/* the dots rise left to right: x grows, y (downwards in SVG) shrinks */
	const char *d1 = strstr(s, "<circle class=\"op-chart__dot\" cx=");
	const char *d5 = d1;
	for (int i = 0; i < 4; i++)
		d5 = strstr(d5 + 1, "<circle class=\"op-chart__dot\" cx=");
	assert_true(attr(d1, "cx") < attr(d5, "cx"));
	assert_true(attr(d1, "cy") > attr(d5, "cy"));
	/* the baseline sits at the left edge and the goal at the right, the goal higher */
	const char *sq = strstr(s, "<rect class=\"op-chart__start\"");
	const char *path = strstr(s, "<line class=\"op-chart__path\"");
	assert_non_null(sq);
	assert_non_null(path);
	assert_true(attr(path, "x1") < attr(path, "x2"));
	assert_true(attr(path, "y1") > attr(path, "y2"));
	assert_true(attr(d1, "cx") > attr(path, "x1") && attr(d5, "cx") < attr(path, "x2"));
	assert_contains(s, "<polygon class=\"op-chart__goal\"");
	assert_contains(s, "Nulmeting");
	assert_contains(s, "Rechte lijn");
	/* axis numbers from 0, in whole steps here */
	assert_contains(s, ">0</text>");
	assert_not_contains(s, "nan");
	assert_not_contains(s, "inf");
	free(s);
}

TEST(line_chart_uses_the_decimal_sign)
{
	static const web_line_point small[] = { { 1, 0.2, "a" }, { 2, 0.6, "b" }, { 3, 0.9, "c" } };
	web_line c = { .id = "c", .title = "t", .desc = "d", .points = small, .n = 3, .decimal = ',' };
	char *s = draw(&c);
	assert_contains(s, ">0,5</text>");
	assert_not_contains(s, ">0.5</text>");
	free(s);
	c.decimal = '.';
	s = draw(&c);
	assert_contains(s, ">0.5</text>");
	free(s);
}

TEST(line_chart_without_a_plan_has_no_path)
{
	web_line c = { .id = "c", .title = "t", .desc = "d", .points = measured, .n = 2,
		       .series_label = "Gemeten", .path_label = "Rechte lijn", .decimal = ',' };
	char *s = draw(&c);
	assert_not_contains(s, "op-chart__path");
	assert_not_contains(s, "op-chart__start");
	assert_not_contains(s, "Rechte lijn");
	assert_contains(s, "Gemeten");
	free(s);
}

TEST(line_chart_edge_cases)
{
	/* nothing measured: axes and the plan, no line, no dots */
	web_line c = { .id = "c", .title = "t", .desc = "d", .start = &base, .goal = &goal,
		       .decimal = ',' };
	char *s = draw(&c);
	assert_not_contains(s, "<polyline");
	assert_int_equal(count_occurrences(s, "op-chart__dot"), 0);
	assert_contains(s, "op-chart__path");
	free(s);
	/* one value, no plan: one dot in the middle, no line */
	static const web_line_point one[] = { { 5, 7, "x" } };
	web_line d = { .id = "c", .title = "t", .desc = "d", .points = one, .n = 1, .decimal = '.' };
	s = draw(&d);
	assert_not_contains(s, "<polyline");
	assert_int_equal(count_occurrences(s, "op-chart__dot"), 1);
	assert_true(attr(strstr(s, "<circle"), "cx") == (56 + 480 - 16) / 2.0);
	free(s);
	/* equal values and values below zero stay finite and inside the picture */
	static const web_line_point flat[] = { { 1, 3, "a" }, { 2, 3, "b" } };
	static const web_line_point neg[] = { { 1, -4.5, "a" }, { 2, 2, "b" } };
	d.points = flat;
	d.n = 2;
	s = draw(&d);
	assert_not_contains(s, "nan");
	free(s);
	d.points = neg;
	s = draw(&d);
	assert_not_contains(s, "nan");
	assert_contains(s, ">-6</text>"); /* the axis reaches below the lowest value */
	const char *dot = strstr(s, "<circle");
	assert_true(attr(dot, "cy") <= 220 && attr(dot, "cy") >= 24);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_chart_has_accessible_names_and_escapes),
		cmocka_unit_test(line_chart_draws_every_value_in_place),
		cmocka_unit_test(line_chart_uses_the_decimal_sign),
		cmocka_unit_test(line_chart_without_a_plan_has_no_path),
		cmocka_unit_test(line_chart_edge_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
