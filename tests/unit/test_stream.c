/* test_stream.c — the HTTP layer as a running server (src/http/server.c,
 * body.c, guard.c) with a dispatch of its own, driven over real sockets:
 * streamed bodies (200 MB through a constant amount of memory, the health
 * check answering while exports run, refusal when the job pool is full, a
 * producer that fails, a client that leaves, a file sent in pieces), the
 * arena fault hook answered with 503, and the limits: 414 for too many
 * query parameters, 413 and 503 before the body is read, the request-read
 * deadline, connections per address, X-Forwarded-For from a trusted proxy.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/http.h"

static http_server *S;
static atomic_int   producer_stopped;  /* a producer saw its client leave */
static atomic_long  big_size = 200L << 20;

static uint64_t ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

/* ---- producers ---- */
typedef struct big_job {
	long size;
	bool fail_half;   /* stop half way with an error */
} big_job;

static bool produce_big(http_body *b, void *arg)
{
	big_job *j = arg;
	static char block[65536];
	for (size_t i = 0; i < sizeof block; i++)
		block[i] = (char)('a' + i % 26);
	for (long sent = 0; sent < j->size; sent += (long)sizeof block) {
		size_t n = sizeof block;
		if ((long)n > j->size - sent)
			n = (size_t)(j->size - sent);
		if (j->fail_half && sent >= j->size / 2)
			return false;
		if (http_body_write(b, block, n) != 0) {
			atomic_store(&producer_stopped, 1);
			return false;
		}
	}
	return true;
}

static bool produce_file(http_body *b, void *arg)
{
	const char *path = arg;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	int rc = http_body_send_fd(b, fd);
	close(fd);
	return rc == 0;
}

static char tmp_file[64];

static void dispatch(http_req *r, http_resp *s, void *ctx)
{
	(void)ctx;
	if (r->route == -413 || r->route == -400) {
		s->status = -r->route;
		sb_puts(&s->body, "refused");
		return;
	}
	s->status = 200;
	s->content_type = "text/plain";
	if (!strcmp(r->path, "/health")) {
		sb_puts(&s->body, "ok");
	} else if (!strcmp(r->path, "/ip")) {
		sb_puts(&s->body, r->client_ip);
	} else if (!strcmp(r->path, "/echo")) {
		sb_printf(&s->body, "%zu", r->body_len);
	} else if (!strcmp(r->path, "/big") || !strcmp(r->path, "/fail")) {
		http_body *b = http_body_open(r, s);
		if (!b) {
			s->status = 503;
			return;
		}
		big_job *j = arena_calloc(http_body_arena(b), 1, sizeof *j);
		assert_non_null(j);
		j->size = atomic_load(&big_size);
		j->fail_half = !strcmp(r->path, "/fail");
		if (http_body_start(b, produce_big, j) != 0) {
			s->status = 503;
			sb_puts(&s->body, "busy");
		}
	} else if (!strcmp(r->path, "/file")) {
		http_body *b = http_body_open(r, s);
		if (!b || http_body_start(b, produce_file, tmp_file) != 0) {
			s->status = 503;
			sb_puts(&s->body, "busy");
		}
	} else {
		s->status = 404;
	}
}

static http_config base_cfg(void)
{
	return (http_config){ .listen_host = "127.0.0.1", .port = 0, .body_limit = 48 * 1024,
	                      .threads = 2, .conn_limit = 1000, .dispatch = dispatch,
	                      .job_threads = 2, .job_queue = 1 };
}

static void start(http_config c)
{
	char err[256];
	S = http_start(&c, err, sizeof err);
	if (!S)
		fail_msg("http_start: %s", err);
}

static int teardown(void **state)
{
	(void)state;
	http_stop(S, 2000);
	S = NULL;
	arena_fault_set(0, 0);
	return 0;
}

/* ---- a small client ---- */
static int dial(const char *from)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (from) {
		struct sockaddr_in src = { .sin_family = AF_INET };
		inet_pton(AF_INET, from, &src.sin_addr);
		if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
			close(fd);
			return -1;
		}
	}
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(http_port(S)) };
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void send_all(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

/* Reads until the server closes or timeout_ms passes; returns bytes read
 * into buf (NUL-terminated), -1 on timeout. */
static long read_all(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t len = 0;
	uint64_t end = ms_now() + (uint64_t)timeout_ms;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int left = (int)(end - ms_now());
		if (left <= 0 || poll(&p, 1, left) <= 0)
			return -1;
		ssize_t k = recv(fd, buf + len, cap - 1 - len, 0);
		if (k <= 0)
			break;
		len += (size_t)k;
		if (len == cap - 1)
			break;
	}
	buf[len] = '\0';
	return (long)len;
}

/* One request with Connection: close; returns the status (0 when none)
 * and the whole response in resp. */
static int request(const char *from, const char *req, char *resp, size_t cap, int timeout_ms)
{
	int fd = dial(from);
	if (fd < 0)
		return -1;
	send_all(fd, req);
	long n = read_all(fd, resp, cap, timeout_ms);
	close(fd);
	if (n <= 0)
		return 0;
	int status = 0;
	sscanf(resp, "HTTP/1.%*d %d", &status);
	return status;
}

static int get(const char *path, char *resp, size_t cap)
{
	static _Thread_local char req[24000];
	snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", path);
	return request(NULL, req, resp, cap, 5000);
}

/* Reads a chunked body from fd, counting payload bytes and checking the
 * pattern; samples the process's memory as it goes. */
typedef struct stream_result {
	long long payload;
	bool      complete;   /* the last chunk arrived */
	bool      pattern_ok;
	long      rss_max_kb;
} stream_result;

static void read_chunked(int fd, stream_result *res, long stop_after)
{
	static char buf[1 << 16];
	size_t have = 0;
	bool headers = true;
	long long chunk_left = -1; /* -1: expect a size line */
	long long pos = 0;
	res->pattern_ok = true;
	for (int i = 0;; i++) {
		if (i % 64 == 0) {
			long r = rss_kb();
			if (r > res->rss_max_kb)
				res->rss_max_kb = r;
		}
		if (stop_after && res->payload >= stop_after)
			return;
		ssize_t k = recv(fd, buf + have, sizeof buf - have, 0);
		if (k <= 0)
			return;
		have += (size_t)k;
		size_t off = 0;
		for (;;) {
			if (headers) {
				char *e = memmem(buf + off, have - off, "\r\n\r\n", 4);
				if (!e)
					break;
				off = (size_t)(e - buf) + 4;
				headers = false;
			} else if (chunk_left < 0) {
				char *e = memmem(buf + off, have - off, "\r\n", 2);
				if (!e)
					break;
				chunk_left = strtoll(buf + off, NULL, 16);
				off = (size_t)(e - buf) + 2;
				if (chunk_left == 0) {
					res->complete = true;
					return;
				}
			} else if (chunk_left > 0) {
				size_t n = have - off;
				if ((long long)n > chunk_left)
					n = (size_t)chunk_left;
				if (n == 0)
					break;
				for (size_t j = 0; j < n; j += 4099)
					if (buf[off + j] != (char)('a' + ((pos + (long long)j) % 65536) % 26))
						res->pattern_ok = false;
				pos += (long long)n;
				res->payload += (long long)n;
				chunk_left -= (long long)n;
				off += n;
			} else { /* chunk_left == 0 after data: its CRLF */
				if (have - off < 2)
					break;
				off += 2;
				chunk_left = -1;
			}
			if (chunk_left == 0 && have - off >= 2) {
				off += 2;
				chunk_left = -1;
			}
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
}

/* ---- streamed bodies ---- */

TEST(body_streams_200_mb_in_constant_memory)
{
	start(base_cfg());
	atomic_store(&big_size, 200L << 20);
	int fd = dial(NULL);
	assert_true(fd >= 0);
	long before = rss_kb();
	send_all(fd, "GET /big HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	stream_result res = { 0 };
	read_chunked(fd, &res, 0);
	close(fd);
	assert_int_equal(res.payload, 200LL << 20);
	assert_true(res.complete);
	assert_true(res.pattern_ok);
	long growth = res.rss_max_kb - before;
	print_message("streamed 200 MB; resident memory grew by at most %ld KiB\n", growth);
	assert_true(growth < 24 * 1024);
}

typedef struct slow_reader {
	int  fd;
	bool got_headers;
} slow_reader;

TEST(health_answers_while_exports_run_and_a_full_pool_refuses)
{
	start(base_cfg()); /* 2 producers + 1 waiting */
	atomic_store(&big_size, 1L << 30);
	int fds[3];
	char resp[4096];
	/* Three exports whose clients do not read: producers block. */
	for (int i = 0; i < 3; i++) {
		fds[i] = dial(NULL);
		assert_true(fds[i] >= 0);
		send_all(fds[i], "GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
	}
	usleep(300000);
	/* The fourth finds the pool full: refused at once. */
	assert_int_equal(get("/big", resp, sizeof resp), 503);
	assert_contains(resp, "busy");
	/* And the health check answers quickly, again and again. */
	for (int i = 0; i < 20; i++) {
		uint64_t t0 = ms_now();
		assert_int_equal(get("/health", resp, sizeof resp), 200);
		assert_true(ms_now() - t0 < 500);
	}
	atomic_store(&producer_stopped, 0);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	/* Producers notice that their clients left. */
	for (int i = 0; i < 100 && !atomic_load(&producer_stopped); i++)
		usleep(20000);
	assert_true(atomic_load(&producer_stopped));
	/* Then the pool takes exports again. */
	atomic_store(&big_size, 1000);
	int st = 0;
	for (int i = 0; i < 50 && st != 200; i++) {
		st = get("/big", resp, sizeof resp);
		if (st != 200)
			usleep(20000);
	}
	assert_int_equal(st, 200);
}

TEST(failing_producer_ends_without_the_last_chunk)
{
	start(base_cfg());
	atomic_store(&big_size, 4L << 20);
	int fd = dial(NULL);
	send_all(fd, "GET /fail HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	stream_result res = { 0 };
	read_chunked(fd, &res, 0);
	close(fd);
	assert_true(res.payload >= 1L << 20);
	assert_true(res.payload < 4L << 20);
	assert_false(res.complete);
}

TEST(file_is_sent_in_pieces)
{
	start(base_cfg());
	snprintf(tmp_file, sizeof tmp_file, "/tmp/openplan-test-%d.bin", (int)getpid());
	FILE *f = fopen(tmp_file, "wb");
	assert_non_null(f);
	long size = 5L << 20;
	for (long i = 0; i < size; i++)
		fputc('a' + (int)((i % 65536) % 26), f);
	fclose(f);
	int fd = dial(NULL);
	send_all(fd, "GET /file HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	stream_result res = { 0 };
	read_chunked(fd, &res, 0);
	close(fd);
	unlink(tmp_file);
	assert_int_equal(res.payload, size);
	assert_true(res.complete);
	assert_true(res.pattern_ok);
}

/* ---- the arena fault hook ---- */

TEST(arena_failure_in_the_http_layer_is_a_503)
{
	start(base_cfg());
	char resp[4096];
	int n503 = 0;
	for (unsigned long n = 1; n <= 12; n++) {
		arena_fault_set(n, 0);
		const char *req = "POST /echo?a=1&b=2 HTTP/1.1\r\nHost: t\r\nCookie: x=1; y=2\r\n"
		                  "Content-Type: application/x-www-form-urlencoded\r\n"
		                  "Content-Length: 7\r\nConnection: close\r\n\r\nc=3&d=4";
		int st = request(NULL, req, resp, sizeof resp, 5000);
		assert_true(st == 200 || st == 503);
		n503 += st == 503;
	}
	assert_true(n503 >= 5);
	arena_fault_set(1, 1); /* every allocation fails */
	assert_int_equal(get("/health?x=1", resp, sizeof resp), 503);
	assert_contains(resp, "Retry-After");
	arena_fault_set(0, 0);
	assert_int_equal(get("/health", resp, sizeof resp), 200);
}

/* ---- limits ---- */

TEST(too_many_query_parameters_get_414_at_once)
{
	start(base_cfg());
	static char path[20000], resp[4096];
	for (int count = HTTP_MAX_QUERY_PARAMS; count <= 2000; count += 2000 - HTTP_MAX_QUERY_PARAMS) {
		size_t len = (size_t)snprintf(path, sizeof path, "/health?");
		for (int i = 0; i < count; i++)
			len += (size_t)snprintf(path + len, sizeof path - len, "%sa%d=%d", i ? "&" : "", i, i);
		uint64_t t0 = ms_now();
		int st = get(path, resp, sizeof resp);
		assert_int_equal(st, count <= HTTP_MAX_QUERY_PARAMS ? 200 : 414);
		assert_true(ms_now() - t0 < 1000);
	}
	char *p = path + strlen("/health?");
	snprintf(p, 8, "a=1");
	assert_int_equal(get(path, resp, sizeof resp), 200);
}

TEST(large_body_413_and_body_budget_503_before_reading)
{
	http_config c = base_cfg();
	c.bodies_limit = 64 * 1024; /* at least body_limit (48 KiB) */
	start(c);
	char resp[4096];
	/* Announced beyond the limit: 413 without sending the body. */
	int st = request(NULL, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n"
	                 "Connection: close\r\n\r\n", resp, sizeof resp, 3000);
	assert_int_equal(st, 413);
	/* One upload of 40 KiB in progress holds its budget ... */
	int held = dial(NULL);
	send_all(held, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 40000\r\n\r\nabc");
	usleep(200000);
	/* ... so a second one is refused at once, */
	st = request(NULL, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 40000\r\n"
	             "Connection: close\r\n\r\n", resp, sizeof resp, 3000);
	assert_int_equal(st, 503);
	/* and when the first one goes away, the budget is back. */
	close(held);
	usleep(200000);
	static char req[50000];
	int n = snprintf(req, sizeof req, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 40000\r\n"
	                 "Connection: close\r\n\r\n");
	memset(req + n, 'x', 40000);
	req[n + 40000] = '\0';
	assert_int_equal(request(NULL, req, resp, sizeof resp, 3000), 200);
	assert_contains(resp, "40000");
}

TEST(trickled_request_is_cut_at_the_read_deadline)
{
	http_config c = base_cfg();
	c.read_timeout = 2;
	start(c);
	int fd = dial(NULL);
	send_all(fd, "GET /health HTTP/1.1\r\nHost: t\r\n");
	uint64_t t0 = ms_now();
	bool closed = false;
	/* A byte every 250 ms would keep the connection forever if trickling
	 * reset the deadline; the bound is loose so a loaded machine passes. */
	while (ms_now() - t0 < 15000) {
		usleep(250000);
		if (send(fd, "X", 1, MSG_NOSIGNAL) < 0) {
			closed = true;
			break;
		}
		char b[64];
		ssize_t k = recv(fd, b, sizeof b, MSG_DONTWAIT);
		if (k == 0) {
			closed = true;
			break;
		}
	}
	uint64_t took = ms_now() - t0;
	close(fd);
	assert_true(closed);
	assert_true(took >= 1500 && took < 12000);
	/* An ordinary request is not affected. */
	char resp[1024];
	assert_int_equal(get("/health", resp, sizeof resp), 200);
}

TEST(connections_per_address_are_limited_loopback_exempt)
{
	http_config c = base_cfg();
	c.per_ip_limit = 3;
	start(c);
	int fds[8];
	char resp[1024];
	for (int i = 0; i < 3; i++) {
		fds[i] = dial("127.0.0.2");
		if (fds[i] < 0)
			skip(); /* no 127.0.0.2 on this machine */
	}
	usleep(100000);
	/* The fourth from 127.0.0.2 is closed without an answer. */
	assert_int_equal(request("127.0.0.2", "GET /health HTTP/1.1\r\nHost: t\r\n\r\n", resp,
	                         sizeof resp, 2000), 0);
	/* Another address still gets in, and so does 127.0.0.1 however many. */
	assert_int_equal(request("127.0.0.3", "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
	                         resp, sizeof resp, 2000), 200);
	for (int i = 3; i < 8; i++)
		fds[i] = dial(NULL);
	assert_int_equal(get("/health", resp, sizeof resp), 200);
	for (int i = 0; i < 8; i++)
		close(fds[i]);
	usleep(100000);
	assert_int_equal(request("127.0.0.2", "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
	                         resp, sizeof resp, 2000), 200);
}

static const char *body_of(const char *resp)
{
	const char *p = strstr(resp, "\r\n\r\n");
	return p ? p + 4 : "";
}

TEST(forwarded_for_is_believed_only_from_the_trusted_proxy)
{
	http_config c = base_cfg();
	c.trusted_proxy = "127.0.0.1";
	start(c);
	char resp[1024];
	const char *req = "GET /ip HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
	                  "X-Forwarded-For: 203.0.113.9, 198.51.100.7\r\n\r\n";
	assert_int_equal(request(NULL, req, resp, sizeof resp, 2000), 200);
	assert_string_equal(body_of(resp), "198.51.100.7");
	if (request("127.0.0.2", req, resp, sizeof resp, 2000) < 0)
		skip();
	assert_string_equal(body_of(resp), "127.0.0.2");
	/* Without the header: the proxy's own address. */
	assert_int_equal(get("/ip", resp, sizeof resp), 200);
	assert_string_equal(body_of(resp), "127.0.0.1");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(body_streams_200_mb_in_constant_memory, teardown),
		cmocka_unit_test_teardown(health_answers_while_exports_run_and_a_full_pool_refuses, teardown),
		cmocka_unit_test_teardown(failing_producer_ends_without_the_last_chunk, teardown),
		cmocka_unit_test_teardown(file_is_sent_in_pieces, teardown),
		cmocka_unit_test_teardown(arena_failure_in_the_http_layer_is_a_503, teardown),
		cmocka_unit_test_teardown(too_many_query_parameters_get_414_at_once, teardown),
		cmocka_unit_test_teardown(large_body_413_and_body_budget_503_before_reading, teardown),
		cmocka_unit_test_teardown(trickled_request_is_cut_at_the_read_deadline, teardown),
		cmocka_unit_test_teardown(connections_per_address_are_limited_loopback_exempt, teardown),
		cmocka_unit_test_teardown(forwarded_for_is_believed_only_from_the_trusted_proxy, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
