/* input_cluster.c — red threads: proposes clusters of similar input items
 * and likely duplicates, for an organiser to accept, rename, merge, split
 * or dismiss. Pure computation on texts (no store, no request): the job
 * that runs it loads the items and saves what it proposes.
 *
 * How. Each text becomes a bag of Dutch stems (src/util/words.h: stop
 * words out, Snowball stems); a compound counts as its parts too when
 * both are stems of the same texts ("klachtenregister": "klacht",
 * "register"). Weights are tf-idf, (1 + ln tf) · ln((N+1)/df),
 * L2-normalised; the similarity of two texts is the cosine of their
 * vectors. For clustering, stems in one text only, stems in more than
 * half of the texts and weak stems (the verbs of a request: "maak",
 * "laat", "zien") are left out.
 *   1. Neighbours: the most similar texts of each text of a sample (at
 *      most SAMPLE texts), through an inverted index.
 *   2. Seeds: densest neighbourhoods first; a text becomes a seed when it
 *      has neighbours of its own and its neighbourhood is not close to a
 *      seed already taken.
 *   3. Spherical k-means from those seeds over every text: a text joins
 *      the closest centre when it is close enough, else it stays
 *      unclustered. Close centres merge; threads that end up too small go.
 *   4. Threads whose texts are alike on average (average linkage) are
 *      joined, one pair at a time, and k-means settles once more: short
 *      texts split a broad topic into several tight threads, which people
 *      would call one.
 *   5. Per thread: its characteristic terms (stems frequent in the thread
 *      and rare elsewhere, shown as the word written most often) and its
 *      representative quote (among the members closest to the centre, one
 *      that reads as a sentence).
 * Likely duplicates: pairs whose full vectors (every stem) have a cosine
 * of 0.8 or more. The thresholds were chosen on a fixture of 160 texts in
 * eight topics and sit in the middle of a range that gives the same
 * threads (tests/unit/test_input.c: purity 0.8 or more); the speed is
 * measured by make bench (10,000 texts).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/words.h"
#include "input.h"

/* Tuning (see the file's opening). */
#define K_NEIGHBOURS    8       /* neighbours kept per text */
#define SIM_NEIGHBOUR   0.12f   /* a neighbour at all */
#define SIM_LINK        0.18f   /* a neighbour that makes a neighbourhood */
#define SIM_SEED        0.40f   /* a new seed is further than this from every seed */
#define SIM_ASSIGN      0.20f   /* a text joins a centre this close or closer */
#define SIM_MERGE       0.50f   /* centres this close become one */
#define SIM_JOIN        0.027f  /* threads whose texts are this alike on average join */
#define SIM_DUP         0.80f   /* likely duplicates */
#define ROUNDS          10      /* k-means rounds at most */
#define SAMPLE          2000    /* seeds come from at most this many texts */
#define MAX_DUPS        200
#define MAX_TERMS_SHOWN 5

/* Words that carry no topic in what people suggest to a government: the
 * verbs and adverbs of a request ("maak … openbaar", "laat zien welke …").
 * On top of the shared Dutch stop words (src/util/words.c); they stay in
 * the search index and count for duplicates, not for threads. Stems, as
 * the Dutch stemmer makes them; sorted for the binary search. */
static const char *const weak_stems[] = {
	"af", "all", "allen", "bijvoorbeeld", "daarom", "echt", "eerst", "elk", "erbij",
	"ga", "gan", "geeft", "gef", "gemeent", "gev", "goed", "grag", "hoort", "hor",
	"iederen", "kom", "krijg", "lat", "maakt", "mag", "mak", "mens", "moet", "mog", "mogelijk",
	"nieuw", "nodig", "open", "over", "plek", "stan", "stat", "sted", "vak", "via",
	"vooral", "war", "wel", "welk", "zet", "zien", "zoal", "zodat",
};

static bool weak_stem(const char *s, size_t n)
{
	size_t lo = 0, hi = sizeof weak_stems / sizeof *weak_stems;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(s, weak_stems[mid], n);
		if (c == 0 && weak_stems[mid][n])
			c = -1;
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* ---- vocabulary ---------------------------------------------------------------------- */

typedef struct term {
	char    *stem;
	unsigned df;       /* texts that hold it */
	bool     weak;     /* a weak stem: no part in threads */
	float    idf;
	/* the word as written most often (among the first few spellings seen) */
	char    *word[4];
	unsigned nword[4];
} term;

typedef struct vocab {
	term    *t;
	size_t   n, cap;
	unsigned *slots;   /* open addressing: index + 1, 0 = empty */
	size_t   nslots;
} vocab;

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int vocab_grow(vocab *v)
{
	size_t ns = v->nslots ? v->nslots * 2 : 1024;
	unsigned *sl = calloc(ns, sizeof *sl);
	if (!sl)
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		uint32_t h = hash_bytes(v->t[i].stem, strlen(v->t[i].stem));
		size_t k = h & (ns - 1);
		while (sl[k])
			k = (k + 1) & (ns - 1);
		sl[k] = (unsigned)i + 1;
	}
	free(v->slots);
	v->slots = sl;
	v->nslots = ns;
	return 0;
}

/* The id of stem s (n bytes), added when new; -1 when out of memory. */
static long vocab_id(vocab *v, const char *s, size_t n)
{
	if (v->n * 2 >= v->nslots && vocab_grow(v) != 0)
		return -1;
	uint32_t h = hash_bytes(s, n);
	size_t k = h & (v->nslots - 1);
	while (v->slots[k]) {
		term *t = &v->t[v->slots[k] - 1];
		if (strlen(t->stem) == n && !memcmp(t->stem, s, n))
			return (long)v->slots[k] - 1;
		k = (k + 1) & (v->nslots - 1);
	}
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 1024;
		term *nt = realloc(v->t, nc * sizeof *nt);
		if (!nt)
			return -1;
		v->t = nt;
		v->cap = nc;
	}
	term *t = &v->t[v->n];
	memset(t, 0, sizeof *t);
	t->stem = strndup(s, n);
	if (!t->stem)
		return -1;
	t->weak = weak_stem(s, n);
	v->slots[k] = (unsigned)v->n + 1;
	return (long)v->n++;
}

static void vocab_word(term *t, const char *w, size_t n)
{
	for (int i = 0; i < 4; i++) {
		if (!t->word[i]) {
			t->word[i] = strndup(w, n);
			if (t->word[i])
				t->nword[i] = 1;
			return;
		}
		if (strlen(t->word[i]) == n && !memcmp(t->word[i], w, n)) {
			t->nword[i]++;
			return;
		}
	}
}

static const char *term_word(const term *t)
{
	int best = -1;
	for (int i = 0; i < 4 && t->word[i]; i++)
		if (best < 0 || t->nword[i] > t->nword[best] ||
		    (t->nword[i] == t->nword[best] && strlen(t->word[i]) < strlen(t->word[best])))
			best = i;
	return best >= 0 ? t->word[best] : t->stem;
}

static void vocab_free(vocab *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->t[i].stem);
		for (int k = 0; k < 4; k++)
			free(v->t[i].word[k]);
	}
	free(v->t);
	free(v->slots);
}

/* ---- texts as vectors ------------------------------------------------------------------- */

typedef struct entry {
	unsigned term;
	float    w;
} entry;

typedef struct doc {
	entry   *e;        /* every stem, by term id; w = tf until weighed */
	unsigned n;
	entry   *c;        /* the clustering vector: a prefix-free subset, normalised */
	unsigned nc;
} doc;

typedef struct tok_ctx {
	vocab   *v;
	words_stemmer *st;
	unsigned *ids;
	size_t   n, cap;
	int      failed;
} tok_ctx;

static int on_word(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen)
{
	tok_ctx *c = ctx;
	/* Snowball keeps the plural -es of words whose singular ends in -e
	 * ("algoritmes" stays, "algoritme" and "algoritmen" become "algoritm"):
	 * the stem of the word without its s joins them when it is shorter. */
	char alt[64];
	if (wlen > 5 && slen < sizeof alt && !memcmp(word + wlen - 2, "es", 2)) {
		/* the second stemming reuses the buffer stem points into */
		memcpy(alt, stem, slen);
		stem = alt;
		size_t l2 = 0;
		const char *s2 = words_stem(c->st, word, wlen - 1, &l2);
		if (s2 && l2 < slen) {
			memcpy(alt, s2, l2);
			slen = l2;
		}
	}
	long id = vocab_id(c->v, stem, slen);
	if (id < 0)
		return c->failed = -1;
	vocab_word(&c->v->t[id], word, wlen);
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 64;
		unsigned *ni = realloc(c->ids, nc * sizeof *ni);
		if (!ni)
			return c->failed = -1;
		c->ids = ni;
		c->cap = nc;
	}
	c->ids[c->n++] = (unsigned)id;
	return 0;
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

/* ---- the working state -------------------------------------------------------------------- */

typedef struct neighbour {
	unsigned doc;
	float    sim;
} neighbour;

typedef struct work {
	size_t    n;
	doc      *d;
	vocab     v;
	/* inverted index of the clustering vectors: postings of each term */
	unsigned *post_start, *post;
	float    *post_w;  /* the weight of the term in that text */
	size_t    step;    /* seeds come from every step-th text (a sample) */
	neighbour *nb;     /* K_NEIGHBOURS per text */
	unsigned *nnb;
	float    *acc;     /* dense accumulator over texts */
	unsigned *touched;
} work;

static void work_free(work *w)
{
	for (size_t i = 0; i < w->n && w->d; i++) {
		free(w->d[i].e);
		free(w->d[i].c);
	}
	free(w->d);
	vocab_free(&w->v);
	free(w->post_start);
	free(w->post);
	free(w->post_w);
	free(w->nb);
	free(w->nnb);
	free(w->acc);
	free(w->touched);
}

/* Stems every text, counts, weighs and normalises. */
/* The id of stem s (n bytes) when the vocabulary has it, else -1. */
static long vocab_find(const vocab *v, const char *s, size_t n)
{
	if (!v->nslots)
		return -1;
	size_t k = hash_bytes(s, n) & (v->nslots - 1);
	while (v->slots[k]) {
		const term *t = &v->t[v->slots[k] - 1];
		if (strlen(t->stem) == n && !memcmp(t->stem, s, n))
			return (long)v->slots[k] - 1;
		k = (k + 1) & (v->nslots - 1);
	}
	return -1;
}

/* Dutch writes compounds as one word ("klachtenregister", "inkoopdata",
 * "overheidsapps"). A long stem that is two stems of this corpus, with or
 * without a linking "s", "e" or "en" between them, also counts as those
 * two, so "klachtenregister" meets "klachten" and "register". Fills
 * part[2 * t], part[2 * t + 1] (-1: not a compound). */
static void decompound(const vocab *v, long *part)
{
	static const char *const links[] = { "", "s", "e", "en" };
	for (size_t t = 0; t < v->n; t++) {
		part[2 * t] = part[2 * t + 1] = -1;
		const char *st = v->t[t].stem;
		size_t len = strlen(st);
		if (len < 8)
			continue;
		for (size_t p = len - 4; p >= 4 && part[2 * t] < 0; p--) {
			long a = vocab_find(v, st, p);
			if (a < 0)
				continue;
			for (size_t l = 0; l < 4; l++) {
				size_t ll = strlen(links[l]);
				if (len - p - ll < 4 || strncmp(st + p, links[l], ll))
					continue;
				long b = vocab_find(v, st + p + ll, len - p - ll);
				if (b >= 0 && b != (long)t) {
					part[2 * t] = a;
					part[2 * t + 1] = b;
					break;
				}
			}
		}
	}
}

/* Stems every text, counts, weighs and normalises. */
static int build_vectors(work *w, const input_doc *docs)
{
	words_stemmer *st = words_stemmer_new();
	if (!st)
		return -1;
	tok_ctx tc = { .v = &w->v, .st = st };
	int rc = 0;
	size_t maxn = 0;
	for (size_t i = 0; i < w->n && rc == 0; i++) {
		tc.n = 0;
		if (words_each(st, docs[i].text ? docs[i].text : "", on_word, &tc) != 0 && tc.failed) {
			rc = -1;
			break;
		}
		if (tc.n > 1)
			qsort(tc.ids, tc.n, sizeof *tc.ids, cmp_unsigned);
		doc *d = &w->d[i];
		d->e = tc.n ? malloc(tc.n * sizeof *d->e) : NULL;
		if (tc.n && !d->e) {
			rc = -1;
			break;
		}
		for (size_t k = 0; k < tc.n; k++) {
			if (d->n && d->e[d->n - 1].term == tc.ids[k]) {
				d->e[d->n - 1].w += 1;
				continue;
			}
			d->e[d->n++] = (entry){ tc.ids[k], 1 };
		}
		if (d->n > maxn)
			maxn = d->n;
	}
	free(tc.ids);
	words_stemmer_free(st);
	if (rc)
		return rc;
	/* Compounds count as their parts too. */
	long *part = malloc((w->v.n ? w->v.n : 1) * 2 * sizeof *part);
	entry *tmp = malloc((maxn ? maxn : 1) * 3 * sizeof *tmp);
	if (!part || !tmp) {
		free(part);
		free(tmp);
		return -1;
	}
	decompound(&w->v, part);
	for (size_t i = 0; i < w->n && rc == 0; i++) {
		doc *d = &w->d[i];
		unsigned m = 0;
		for (unsigned k = 0; k < d->n; k++) {
			tmp[m++] = d->e[k];
			unsigned t = d->e[k].term;
			if (part[2 * t] >= 0) {
				tmp[m++] = (entry){ (unsigned)part[2 * t], d->e[k].w };
				tmp[m++] = (entry){ (unsigned)part[2 * t + 1], d->e[k].w };
			}
		}
		if (m != d->n) {
			/* sort by term and add up equal terms */
			for (unsigned x = 1; x < m; x++) {
				entry e = tmp[x];
				unsigned y = x;
				while (y > 0 && tmp[y - 1].term > e.term) {
					tmp[y] = tmp[y - 1];
					y--;
				}
				tmp[y] = e;
			}
			entry *ne = malloc(m * sizeof *ne);
			if (!ne) {
				rc = -1;
				break;
			}
			unsigned q = 0;
			for (unsigned x = 0; x < m; x++) {
				if (q && ne[q - 1].term == tmp[x].term)
					ne[q - 1].w += tmp[x].w;
				else
					ne[q++] = tmp[x];
			}
			free(d->e);
			d->e = ne;
			d->n = q;
		}
		for (unsigned k = 0; k < d->n; k++)
			w->v.t[d->e[k].term].df++;
	}
	free(part);
	free(tmp);
	if (rc)
		return rc;
	float nn = (float)w->n;
	for (size_t t = 0; t < w->v.n; t++)
		w->v.t[t].idf = logf((nn + 1) / (float)w->v.t[t].df);
	unsigned common = (unsigned)(w->n / 2);
	for (size_t i = 0; i < w->n; i++) {
		doc *d = &w->d[i];
		float full = 0, cl = 0;
		d->c = d->n ? malloc(d->n * sizeof *d->c) : NULL;
		if (d->n && !d->c)
			return -1;
		for (unsigned k = 0; k < d->n; k++) {
			const term *t = &w->v.t[d->e[k].term];
			float x = (1 + logf(d->e[k].w)) * t->idf;
			d->e[k].w = x;
			full += x * x;
			if (t->df >= 2 && (t->df <= common || w->n < 8) && !t->weak) {
				d->c[d->nc++] = (entry){ d->e[k].term, x };
				cl += x * x;
			}
		}
		full = sqrtf(full);
		cl = sqrtf(cl);
		for (unsigned k = 0; k < d->n; k++)
			d->e[k].w = full > 0 ? d->e[k].w / full : 0;
		for (unsigned k = 0; k < d->nc; k++)
			d->c[k].w = cl > 0 ? d->c[k].w / cl : 0;
	}
	return 0;
}

/* The inverted index of the clustering vectors of the sample (every
 * step-th text): seeds are found among at most SAMPLE texts, so their
 * search stays near-linear however many texts there are; k-means then
 * places every text. */
static int build_index(work *w)
{
	size_t V = w->v.n;
	w->step = (w->n + SAMPLE - 1) / SAMPLE;
	if (w->step < 1)
		w->step = 1;
	w->post_start = calloc(V + 1, sizeof *w->post_start);
	size_t total = 0;
	for (size_t i = 0; i < w->n; i += w->step)
		total += w->d[i].nc;
	w->post = malloc((total ? total : 1) * sizeof *w->post);
	w->post_w = malloc((total ? total : 1) * sizeof *w->post_w);
	if (!w->post_start || !w->post || !w->post_w)
		return -1;
	for (size_t i = 0; i < w->n; i += w->step)
		for (unsigned k = 0; k < w->d[i].nc; k++)
			w->post_start[w->d[i].c[k].term + 1]++;
	for (size_t t = 0; t < V; t++)
		w->post_start[t + 1] += w->post_start[t];
	unsigned *fill = calloc(V ? V : 1, sizeof *fill);
	if (!fill)
		return -1;
	for (size_t i = 0; i < w->n; i += w->step)
		for (unsigned k = 0; k < w->d[i].nc; k++) {
			unsigned t = w->d[i].c[k].term, at = w->post_start[t] + fill[t]++;
			w->post[at] = (unsigned)i;
			w->post_w[at] = w->d[i].c[k].w;
		}
	free(fill);
	return 0;
}

/* The weight of term t in clustering vector c (0 when absent). */
static float weight_of(const entry *c, unsigned n, unsigned t)
{
	unsigned lo = 0, hi = n;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (c[mid].term == t)
			return c[mid].w;
		if (c[mid].term < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Each text's K most similar texts (cosine of clustering vectors). */
static int find_neighbours(work *w)
{
	w->nb = calloc(w->n * K_NEIGHBOURS, sizeof *w->nb);
	w->nnb = calloc(w->n, sizeof *w->nnb);
	w->acc = calloc(w->n, sizeof *w->acc);
	w->touched = malloc(w->n * sizeof *w->touched);
	if (!w->nb || !w->nnb || !w->acc || !w->touched)
		return -1;
	for (size_t i = 0; i < w->n; i += w->step) {
		const doc *d = &w->d[i];
		size_t nt = 0;
		for (unsigned k = 0; k < d->nc; k++) {
			unsigned t = d->c[k].term;
			float x = d->c[k].w;
			for (unsigned p = w->post_start[t]; p < w->post_start[t + 1]; p++) {
				unsigned j = w->post[p];
				if (j == i)
					continue;
				if (w->acc[j] == 0)
					w->touched[nt++] = j;
				w->acc[j] += x * w->post_w[p];
			}
		}
		neighbour *nb = &w->nb[i * K_NEIGHBOURS];
		unsigned m = 0;
		for (size_t q = 0; q < nt; q++) {
			unsigned j = w->touched[q];
			float s = w->acc[j];
			w->acc[j] = 0;
			if (s < SIM_NEIGHBOUR)
				continue;
			/* insertion into the sorted top K */
			if (m < K_NEIGHBOURS)
				m++;
			else if (s <= nb[m - 1].sim)
				continue;
			unsigned at = m - 1;
			while (at > 0 && nb[at - 1].sim < s) {
				nb[at] = nb[at - 1];
				at--;
			}
			nb[at] = (neighbour){ j, s };
		}
		w->nnb[i] = m;
	}
	return 0;
}

/* ---- k-means ---------------------------------------------------------------------------------- */

typedef struct centres {
	size_t K, V;
	float *c;          /* c[t * K + k], each centre normalised */
} centres;

static float doc_sim(const centres *C, const doc *d, size_t k)
{
	float s = 0;
	for (unsigned q = 0; q < d->nc; q++)
		s += d->c[q].w * C->c[(size_t)d->c[q].term * C->K + k];
	return s;
}

/* Centres from the members (assign[i] = centre or -1); a centre without
 * members stays zero. */
static void recentre(centres *C, const work *w, const int *assign)
{
	memset(C->c, 0, C->K * C->V * sizeof *C->c);
	for (size_t i = 0; i < w->n; i++) {
		if (assign[i] < 0)
			continue;
		const doc *d = &w->d[i];
		for (unsigned q = 0; q < d->nc; q++)
			C->c[(size_t)d->c[q].term * C->K + (size_t)assign[i]] += d->c[q].w;
	}
	float *norm = calloc(C->K, sizeof *norm);
	if (!norm)
		return;
	for (size_t t = 0; t < C->V; t++)
		for (size_t k = 0; k < C->K; k++)
			norm[k] += C->c[t * C->K + k] * C->c[t * C->K + k];
	for (size_t k = 0; k < C->K; k++)
		norm[k] = norm[k] > 0 ? 1 / sqrtf(norm[k]) : 0;
	for (size_t t = 0; t < C->V; t++)
		for (size_t k = 0; k < C->K; k++)
			C->c[t * C->K + k] *= norm[k];
	free(norm);
}

/* Assigns every text to its closest centre among the live ones, or -1
 * when none is at least min_sim close (min_sim < 0: always the closest).
 * Returns how many texts changed. */
static size_t assign_all(const centres *C, const work *w, const bool *live, int *assign,
                         float *best_sim, float min_sim)
{
	size_t changed = 0;
	for (size_t i = 0; i < w->n; i++) {
		int best = -1;
		float bs = min_sim < 0 ? -1 : min_sim;
		for (size_t k = 0; k < C->K; k++) {
			if (!live[k])
				continue;
			float s = doc_sim(C, &w->d[i], k);
			if (s > bs || (min_sim < 0 && best < 0)) {
				bs = s;
				best = (int)k;
			}
		}
		if (w->d[i].nc == 0 && min_sim >= 0)
			best = -1;
		if (assign[i] != best)
			changed++;
		assign[i] = best;
		best_sim[i] = best >= 0 ? bs : 0;
	}
	return changed;
}

static float centre_cos(const centres *C, size_t a, size_t b)
{
	float s = 0;
	for (size_t t = 0; t < C->V; t++)
		s += C->c[t * C->K + a] * C->c[t * C->K + b];
	return s;
}

/* Seeds from the densest neighbourhoods (step 2 in the opening). Fills
 * C's first *k centres. */
static int pick_seeds(work *w, centres *C, size_t *k_out)
{
	size_t n = w->n, K = C->K, k = 0;
	unsigned *order = malloc(n * sizeof *order);
	float *density = malloc(n * sizeof *density);
	float *tmp = calloc(C->V, sizeof *tmp);
	unsigned *tt = malloc(C->V * sizeof *tt);
	if (!order || !density || !tmp || !tt) {
		free(order);
		free(density);
		free(tmp);
		free(tt);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		order[i] = (unsigned)i;
		density[i] = 0;
		for (unsigned q = 0; q < w->nnb[i]; q++)
			density[i] += w->nb[i * K_NEIGHBOURS + q].sim;
	}
	/* densest first; ties by position, so the result does not depend on qsort */
	for (size_t i = 1; i < n; i++) {
		unsigned x = order[i];
		size_t j = i;
		while (j > 0 && density[order[j - 1]] < density[x]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
	memset(C->c, 0, C->K * C->V * sizeof *C->c);
	for (size_t r = 0; r < n && k < K; r++) {
		unsigned i = order[r];
		const neighbour *nb = &w->nb[(size_t)i * K_NEIGHBOURS];
		unsigned links = 0;
		for (unsigned q = 0; q < w->nnb[i]; q++)
			links += nb[q].sim >= SIM_LINK;
		if (links < 2)
			continue;
		/* the neighbourhood's mean, sparse in tmp */
		size_t nt = 0;
		for (int q = -1; q < (int)w->nnb[i]; q++) {
			unsigned j = q < 0 ? i : nb[q].doc;
			if (q >= 0 && nb[q].sim < SIM_LINK)
				continue;
			const doc *d = &w->d[j];
			for (unsigned e = 0; e < d->nc; e++) {
				if (tmp[d->c[e].term] == 0)
					tt[nt++] = d->c[e].term;
				tmp[d->c[e].term] += d->c[e].w;
			}
		}
		float norm = 0;
		for (size_t q = 0; q < nt; q++)
			norm += tmp[tt[q]] * tmp[tt[q]];
		norm = norm > 0 ? 1 / sqrtf(norm) : 0;
		bool near = false;
		for (size_t s = 0; s < k && !near; s++) {
			float c = 0;
			for (size_t q = 0; q < nt; q++)
				c += tmp[tt[q]] * norm * C->c[(size_t)tt[q] * K + s];
			near = c >= SIM_SEED;
		}
		for (size_t q = 0; q < nt; q++) {
			if (!near)
				C->c[(size_t)tt[q] * K + k] = tmp[tt[q]] * norm;
			tmp[tt[q]] = 0;
		}
		if (!near)
			k++;
	}
	free(order);
	free(density);
	free(tmp);
	free(tt);
	*k_out = k;
	return 0;
}

/* ---- the result ------------------------------------------------------------------------------------ */

typedef struct member {
	size_t doc;
	float  sim;
} member;

static int cmp_member(const void *a, const void *b)
{
	const member *x = a, *y = b;
	if (x->sim != y->sim)
		return x->sim < y->sim ? 1 : -1;
	return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* Fills a thread from its members: sorted best first, terms, label, quote. */
static int make_thread(arena *a, work *w, const input_doc *docs, member *m, size_t nm,
                       input_cthread *th, unsigned *cnt, unsigned *tt)
{
	if (nm > 1)
		qsort(m, nm, sizeof *m, cmp_member);
	th->n = nm;
	th->members = arena_alloc(a, nm * sizeof *th->members);
	th->scores = arena_alloc(a, nm * sizeof *th->scores);
	if (!th->members || !th->scores)
		return -1;
	for (size_t i = 0; i < nm; i++) {
		th->members[i] = m[i].doc;
		float s = m[i].sim < 0 ? 0 : m[i].sim > 1 ? 1 : m[i].sim;
		th->scores[i] = (int)lrintf(s * 1000);
	}
	/* Terms: in-thread share times idf, over stems in two members or more
	 * (one when the thread has two members). */
	unsigned top[MAX_TERMS_SHOWN];
	float tops[MAX_TERMS_SHOWN];
	size_t ntop = 0;
	size_t nt = 0;
	for (size_t i = 0; i < nm; i++) {
		const doc *d = &w->d[m[i].doc];
		for (unsigned e = 0; e < d->n; e++) {
			if (cnt[d->e[e].term]++ == 0)
				tt[nt++] = d->e[e].term;
		}
	}
	unsigned need = nm > 2 ? 2 : 1;
	for (size_t q = 0; q < nt; q++) {
		unsigned t = tt[q];
		unsigned c = cnt[t];
		cnt[t] = 0;
		if (c < need || w->v.t[t].df < 2 || w->v.t[t].weak)
			continue;
		float s = ((float)c / (float)nm) * w->v.t[t].idf;
		if (ntop < MAX_TERMS_SHOWN) {
			ntop++;
		} else if (s <= tops[ntop - 1]) {
			continue;
		}
		size_t at = ntop - 1;
		while (at > 0 && (tops[at - 1] < s ||
		                  (tops[at - 1] == s && strcmp(w->v.t[top[at - 1]].stem, w->v.t[t].stem) > 0))) {
			top[at] = top[at - 1];
			tops[at] = tops[at - 1];
			at--;
		}
		top[at] = t;
		tops[at] = s;
	}
	sb b;
	sb_init(&b);
	for (size_t q = 0; q < ntop; q++) {
		if (q)
			sb_puts(&b, ", ");
		sb_puts(&b, term_word(&w->v.t[top[q]]));
	}
	th->terms = arena_strdup(a, sb_str(&b));
	b.len = 0;
	sb_puts(&b, ""); /* terminated again */
	for (size_t q = 0; q < ntop && q < 3; q++) {
		if (q)
			sb_puts(&b, " · ");
		sb_puts(&b, term_word(&w->v.t[top[q]]));
	}
	th->label = arena_strdup(a, sb_str(&b));
	bool failed = sb_failed(&b);
	sb_free(&b);
	if (failed || !th->terms || !th->label)
		return -1;
	/* Quote: the closest of the first three members that reads as a
	 * sentence (30 to 240 bytes), else the closest. */
	th->quote = m[0].doc;
	for (size_t i = 0; i < nm && i < 3; i++) {
		size_t len = docs[m[i].doc].text ? strlen(docs[m[i].doc].text) : 0;
		if (len >= 30 && len <= 240) {
			th->quote = m[i].doc;
			break;
		}
	}
	return 0;
}

static int cmp_thread(const void *a, const void *b)
{
	const input_cthread *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return x->members[0] < y->members[0] ? -1 : x->members[0] > y->members[0];
}

static int cmp_dup(const void *a, const void *b)
{
	const input_cdup *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	return x->b < y->b ? -1 : x->b > y->b;
}

/* Likely duplicates: the cosine of full vectors, through a full index. */
static int find_dups(arena *a, work *w, input_clusters *out)
{
	size_t n = w->n, V = w->v.n;
	unsigned *start = calloc(V + 1, sizeof *start);
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += w->d[i].n;
	unsigned *post = malloc((total ? total : 1) * sizeof *post);
	unsigned *fill = calloc(V ? V : 1, sizeof *fill);
	input_cdup *dups = NULL;
	size_t nd = 0, cap = 0;
	int rc = -1;
	if (!start || !post || !fill)
		goto done;
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < w->d[i].n; k++)
			start[w->d[i].e[k].term + 1]++;
	for (size_t t = 0; t < V; t++)
		start[t + 1] += start[t];
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < w->d[i].n; k++) {
			unsigned t = w->d[i].e[k].term, at = start[t] + fill[t]++;
			post[at] = (unsigned)i;
		}
	/* Candidates: later texts (each pair once) that share one of the two
	 * rarest stems of a text. Two texts at 0.8 or more share nearly all
	 * their weight, and a rare stem weighs most, so a pair that shares
	 * neither is not a duplicate; looking up only rare stems keeps this
	 * near-linear. */
	for (size_t i = 0; i < n; i++) {
		const doc *d = &w->d[i];
		unsigned r1 = UINT32_MAX, r2 = UINT32_MAX;
		for (unsigned k = 0; k < d->n; k++) {
			unsigned t = d->e[k].term;
			if (r1 == UINT32_MAX || w->v.t[t].df < w->v.t[r1].df) {
				r2 = r1;
				r1 = t;
			} else if (r2 == UINT32_MAX || w->v.t[t].df < w->v.t[r2].df) {
				r2 = t;
			}
		}
		size_t nt = 0;
		for (int x = 0; x < 2; x++) {
			unsigned t = x ? r2 : r1;
			if (t == UINT32_MAX)
				continue;
			for (unsigned p = start[t]; p < start[t + 1]; p++) {
				unsigned j = post[p];
				if (j <= i || w->acc[j] != 0)
					continue;
				w->acc[j] = 1;
				w->touched[nt++] = j;
			}
		}
		for (size_t q = 0; q < nt; q++) {
			unsigned j = w->touched[q];
			w->acc[j] = 0;
			/* exact cosine over every stem */
			float c = 0;
			const doc *e = &w->d[j];
			for (unsigned x = 0, y = 0; x < d->n && y < e->n;) {
				if (d->e[x].term == e->e[y].term)
					c += d->e[x++].w * e->e[y++].w;
				else if (d->e[x].term < e->e[y].term)
					x++;
				else
					y++;
			}
			if (c < SIM_DUP)
				continue;
			if (nd == cap) {
				size_t nc = cap ? cap * 2 : 64;
				input_cdup *nx = realloc(dups, nc * sizeof *nx);
				if (!nx)
					goto done;
				dups = nx;
				cap = nc;
			}
			int sc = (int)lrintf(c * 1000);
			dups[nd++] = (input_cdup){ i, j, sc > 1000 ? 1000 : sc };
		}
	}
	if (nd > 1)
		qsort(dups, nd, sizeof *dups, cmp_dup);
	if (nd > MAX_DUPS)
		nd = MAX_DUPS;
	out->dups = nd ? arena_alloc(a, nd * sizeof *out->dups) : NULL;
	if (nd && !out->dups)
		goto done;
	if (nd)
		memcpy(out->dups, dups, nd * sizeof *dups);
	out->ndups = nd;
	rc = 0;
done:
	free(start);
	free(post);
	free(fill);
	free(dups);
	return rc;
}

/* Joins threads whose texts are, on average, alike (average linkage: the
 * mean cosine over every pair of texts, one from each): k-means from
 * density seeds splits a broad topic into several tight threads, which
 * people would call one. Joins the closest pair while it is at least
 * SIM_JOIN alike. */
static int join_threads(const work *w, int *assign, const bool *live_in, size_t K)
{
	size_t V = w->v.n ? w->v.n : 1;
	float *S = calloc(K * V, sizeof *S);
	size_t *cnt = calloc(K, sizeof *cnt);
	float *L = calloc(K * K, sizeof *L);
	bool *live = calloc(K, sizeof *live);
	int rc = -1;
	if (!S || !cnt || !L || !live)
		goto done;
	for (size_t i = 0; i < w->n; i++) {
		if (assign[i] < 0)
			continue;
		size_t k = (size_t)assign[i];
		cnt[k]++;
		for (unsigned q = 0; q < w->d[i].nc; q++)
			S[k * V + w->d[i].c[q].term] += w->d[i].c[q].w;
	}
	for (size_t k = 0; k < K; k++)
		live[k] = live_in[k] && cnt[k] > 0;
	for (size_t x = 0; x < K; x++)
		for (size_t y = x + 1; y < K; y++) {
			if (!live[x] || !live[y])
				continue;
			float d = 0;
			for (size_t t = 0; t < V; t++)
				d += S[x * V + t] * S[y * V + t];
			L[x * K + y] = d / ((float)cnt[x] * (float)cnt[y]);
		}
	for (;;) {
		size_t bx = 0, by = 0;
		float best = -1;
		for (size_t x = 0; x < K; x++)
			for (size_t y = x + 1; y < K; y++)
				if (live[x] && live[y] && L[x * K + y] > best) {
					best = L[x * K + y];
					bx = x;
					by = y;
				}
		if (best < SIM_JOIN)
			break;
		for (size_t t = 0; t < V; t++)
			S[bx * V + t] += S[by * V + t];
		cnt[bx] += cnt[by];
		live[by] = false;
		for (size_t i = 0; i < w->n; i++)
			if (assign[i] == (int)by)
				assign[i] = (int)bx;
		for (size_t z = 0; z < K; z++) {
			if (!live[z] || z == bx)
				continue;
			float d = 0;
			for (size_t t = 0; t < V; t++)
				d += S[bx * V + t] * S[z * V + t];
			d /= (float)cnt[bx] * (float)cnt[z];
			if (z < bx)
				L[z * K + bx] = d;
			else
				L[bx * K + z] = d;
		}
	}
	rc = 0;
done:
	free(S);
	free(cnt);
	free(L);
	free(live);
	return rc;
}

/* Turns an assignment into threads (at least min_size members each). */
static int collect(arena *a, work *w, const input_doc *docs, const int *assign,
                   const float *best_sim, size_t K, size_t min_size, input_clusters *out)
{
	size_t *count = calloc(K ? K : 1, sizeof *count);
	member *m = malloc((w->n ? w->n : 1) * sizeof *m);
	unsigned *cnt = calloc(w->v.n ? w->v.n : 1, sizeof *cnt);
	unsigned *tt = malloc((w->v.n ? w->v.n : 1) * sizeof *tt);
	int rc = -1;
	if (!count || !m || !cnt || !tt)
		goto done;
	for (size_t i = 0; i < w->n; i++)
		if (assign[i] >= 0)
			count[assign[i]]++;
	size_t nth = 0;
	for (size_t k = 0; k < K; k++)
		nth += count[k] >= min_size;
	out->threads = nth ? arena_calloc(a, nth, sizeof *out->threads) : NULL;
	if (nth && !out->threads)
		goto done;
	out->nthreads = 0;
	out->unclustered = 0;
	for (size_t k = 0; k < K; k++) {
		if (count[k] < min_size) {
			out->unclustered += count[k];
			continue;
		}
		size_t nm = 0;
		for (size_t i = 0; i < w->n; i++)
			if (assign[i] == (int)k)
				m[nm++] = (member){ i, best_sim[i] };
		if (make_thread(a, w, docs, m, nm, &out->threads[out->nthreads++], cnt, tt) != 0)
			goto done;
	}
	for (size_t i = 0; i < w->n; i++)
		out->unclustered += assign[i] < 0;
	if (out->nthreads > 1)
		qsort(out->threads, out->nthreads, sizeof *out->threads, cmp_thread);
	rc = 0;
done:
	free(count);
	free(m);
	free(cnt);
	free(tt);
	return rc;
}

static int prepare(work *w, const input_doc *docs, size_t n)
{
	memset(w, 0, sizeof *w);
	w->n = n;
	w->d = calloc(n ? n : 1, sizeof *w->d);
	if (!w->d)
		return -1;
	if (build_vectors(w, docs) != 0 || build_index(w) != 0 || find_neighbours(w) != 0)
		return -1;
	return 0;
}

int input_cluster(arena *a, const input_doc *docs, size_t n, input_clusters *out)
{
	memset(out, 0, sizeof *out);
	work w;
	centres C = { 0 };
	int *assign = NULL;
	float *best = NULL;
	bool *live = NULL;
	int rc = -1;
	if (prepare(&w, docs, n) != 0)
		goto done;
	size_t kmax = n / 4;
	if (kmax > 40)
		kmax = 40;
	if (kmax < 2)
		kmax = 2;
	C.K = kmax;
	C.V = w.v.n ? w.v.n : 1;
	C.c = calloc(C.K * C.V, sizeof *C.c);
	assign = malloc((n ? n : 1) * sizeof *assign);
	best = malloc((n ? n : 1) * sizeof *best);
	live = calloc(C.K, sizeof *live);
	if (!C.c || !assign || !best || !live)
		goto done;
	size_t k = 0;
	if (pick_seeds(&w, &C, &k) != 0)
		goto done;
	for (size_t i = 0; i < k; i++)
		live[i] = true;
	for (size_t i = 0; i < n; i++)
		assign[i] = -2;
	size_t min_size = n < 60 ? 2 : 3;
	if (k > 0) {
		for (int r = 0; r < ROUNDS; r++) {
			if (assign_all(&C, &w, live, assign, best, SIM_ASSIGN) == 0 && r > 0)
				break;
			recentre(&C, &w, assign);
		}
		/* Merge centres that came close, drop the ones left too small, and
		 * settle once more. */
		for (int pass = 0; pass < 3; pass++) {
			bool merged = false;
			for (size_t x = 0; x < C.K; x++)
				for (size_t y = x + 1; y < C.K; y++)
					if (live[x] && live[y] && centre_cos(&C, x, y) >= SIM_MERGE) {
						for (size_t i = 0; i < n; i++)
							if (assign[i] == (int)y)
								assign[i] = (int)x;
						live[y] = false;
						merged = true;
					}
			size_t *cnt = calloc(C.K, sizeof *cnt);
			if (!cnt)
				goto done;
			for (size_t i = 0; i < n; i++)
				if (assign[i] >= 0)
					cnt[assign[i]]++;
			bool dropped = false;
			for (size_t x = 0; x < C.K; x++)
				if (live[x] && cnt[x] < min_size) {
					live[x] = false;
					dropped = true;
				}
			free(cnt);
			for (size_t i = 0; i < n; i++)
				if (assign[i] >= 0 && !live[assign[i]])
					assign[i] = -1;
			recentre(&C, &w, assign);
			for (int r = 0; r < ROUNDS; r++) {
				if (assign_all(&C, &w, live, assign, best, SIM_ASSIGN) == 0)
					break;
				recentre(&C, &w, assign);
			}
			if (!merged && !dropped)
				break;
		}
	} else {
		for (size_t i = 0; i < n; i++)
			assign[i] = -1;
	}
	if (k > 0) {
		if (join_threads(&w, assign, live, C.K) != 0)
			goto done;
		/* Centres of the joined threads, and the texts settle around them. */
		for (size_t x = 0; x < C.K; x++) {
			bool any = false;
			for (size_t i = 0; i < n && !any; i++)
				any = assign[i] == (int)x;
			live[x] = any;
		}
		recentre(&C, &w, assign);
		for (int r = 0; r < ROUNDS; r++) {
			if (assign_all(&C, &w, live, assign, best, SIM_ASSIGN) == 0)
				break;
			recentre(&C, &w, assign);
		}
	}
	if (collect(a, &w, docs, assign, best, C.K, min_size, out) != 0 ||
	    find_dups(a, &w, out) != 0)
		goto done;
	rc = 0;
done:
	free(C.c);
	free(assign);
	free(best);
	free(live);
	work_free(&w);
	return rc;
}

int input_cluster_split(arena *a, const input_doc *docs, size_t n, input_clusters *out)
{
	memset(out, 0, sizeof *out);
	if (n < 2)
		return 0;
	work w;
	centres C = { .K = 2 };
	int *assign = NULL;
	float *best = NULL;
	bool live[2] = { true, true };
	int rc = -1;
	if (prepare(&w, docs, n) != 0)
		goto done;
	C.V = w.v.n ? w.v.n : 1;
	C.c = calloc(C.K * C.V, sizeof *C.c);
	assign = malloc(n * sizeof *assign);
	best = malloc(n * sizeof *best);
	if (!C.c || !assign || !best)
		goto done;
	/* Farthest first: the first text with any stems, then the text least
	 * like it. */
	size_t s0 = 0;
	while (s0 < n && w.d[s0].nc == 0)
		s0++;
	if (s0 == n)
		s0 = 0;
	size_t s1 = s0 == 0 ? 1 : 0;
	float low = 2;
	for (size_t i = 0; i < n; i++) {
		if (i == s0)
			continue;
		float c = 0;
		for (unsigned q = 0; q < w.d[i].nc; q++)
			c += w.d[i].c[q].w * weight_of(w.d[s0].c, w.d[s0].nc, w.d[i].c[q].term);
		if (c < low) {
			low = c;
			s1 = i;
		}
	}
	for (size_t i = 0; i < n; i++)
		assign[i] = i == s1 ? 1 : i == s0 ? 0 : -1;
	recentre(&C, &w, assign);
	for (int r = 0; r < ROUNDS; r++) {
		if (assign_all(&C, &w, live, assign, best, -1) == 0 && r > 0)
			break;
		recentre(&C, &w, assign);
	}
	if (collect(a, &w, docs, assign, best, 2, 1, out) != 0)
		goto done;
	rc = 0;
done:
	free(C.c);
	free(assign);
	free(best);
	work_free(&w);
	return rc;
}
