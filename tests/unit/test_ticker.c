/* test_ticker.c — periodic background work (util/ticker.c): the function
 * runs at once and again after its interval; stopping wakes a sleeping
 * ticker at once (no waiting out an hour) and no run starts afterwards;
 * the interval read from the environment is a whole number of seconds
 * from 1 to a week, anything else a clear message.
 */
#include "unit.h"

#include <stdatomic.h>
#include <time.h>

#include "util/ticker.h"

static atomic_int runs;

static void count(void *arg)
{
	(void)arg;
	atomic_fetch_add(&runs, 1);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

TEST(runs_at_once_and_stops_at_once)
{
	atomic_store(&runs, 0);
	ticker *t = ticker_start(3600, count, NULL);
	assert_non_null(t);
	for (int i = 0; i < 500 && atomic_load(&runs) == 0; i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	assert_int_equal(atomic_load(&runs), 1);
	double t0 = now_s();
	ticker_stop(t);
	assert_true(now_s() - t0 < 5.0);
	assert_int_equal(atomic_load(&runs), 1);
	ticker_stop(NULL);
}

TEST(runs_again_after_its_interval)
{
	atomic_store(&runs, 0);
	ticker *t = ticker_start(1, count, NULL);
	assert_non_null(t);
	for (int i = 0; i < 1000 && atomic_load(&runs) < 2; i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	ticker_stop(t);
	int n = atomic_load(&runs);
	assert_true(n >= 2);
	nanosleep(&(struct timespec){ 0, 50000000 }, NULL);
	assert_int_equal(atomic_load(&runs), n);
}

TEST(interval_from_the_environment)
{
	char err[128] = "";
	unsetenv("OP_TICK_TEST");
	assert_int_equal(ticker_env_seconds("OP_TICK_TEST", 3600, err, sizeof err), 3600);
	setenv("OP_TICK_TEST", "", 1);
	assert_int_equal(ticker_env_seconds("OP_TICK_TEST", 3600, err, sizeof err), 3600);
	setenv("OP_TICK_TEST", "2", 1);
	assert_int_equal(ticker_env_seconds("OP_TICK_TEST", 3600, err, sizeof err), 2);
	setenv("OP_TICK_TEST", "604800", 1);
	assert_int_equal(ticker_env_seconds("OP_TICK_TEST", 3600, err, sizeof err), 604800);
	for (const char *bad = "0\0-1\0604801\0" "5s\0x\0" "99999999999999999999\0"; *bad; bad += strlen(bad) + 1) {
		setenv("OP_TICK_TEST", bad, 1);
		err[0] = '\0';
		assert_int_equal(ticker_env_seconds("OP_TICK_TEST", 3600, err, sizeof err), -1);
		assert_string_equal(err, "OP_TICK_TEST must be a number of seconds from 1 to 604800");
	}
	unsetenv("OP_TICK_TEST");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runs_at_once_and_stops_at_once),
		cmocka_unit_test(runs_again_after_its_interval),
		cmocka_unit_test(interval_from_the_environment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
