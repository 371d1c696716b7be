/*
 * mkdb.c: builds the database the report benchmark reads (make bench):
 * N posts over the campaign window, spread over the 41 units and the
 * platforms, each observed ROUNDS times with growing counts, so the
 * snapshots table holds N * ROUNDS rows.  Goes through store/'s API like
 * every writer; deterministic.
 *
 *   bench-mkdb DB N ROUNDS
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/platform.h"
#include "../config/config.h"
#include "../store/store.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(int argc, char **argv)
{
	static const char *const tags[] = {"科普之光", "重庆科普", "全国科普月", "航天科普", "人工智能",
					   "防灾减灾", "中医药", "天文", "科普中国", "亲子科普"};
	const char *campaign[] = {"千万IP创科普"};
	struct config cfg;
	struct store *st;
	struct kerr e;
	long n, rounds;
	int64_t t0 = 1756656000; /* 2025-09-01 00:00 +08:00 */

	if (argc != 4 || (n = strtol(argv[2], NULL, 10)) <= 0 || (rounds = strtol(argv[3], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: bench-mkdb DB N ROUNDS\n");
		return 2;
	}
	if (config_load(&cfg, NULL, &e) < 0 || store_open(&st, argv[1], &e) < 0) {
		fprintf(stderr, "bench-mkdb: %s\n", e.msg);
		return 1;
	}
	for (long round = 0; round < rounds; round++) {
		int64_t now = t0 + 30 * 86400 + round * 3600;
		rng = 88172645463325252ULL; /* the same posts every round */
		if (store_begin(st, &e) < 0)
			goto fail;
		for (long i = 0; i < n; i++) {
			struct post p;
			char id[32], author[32], title[64];
			const char *hashtags[3];
			const struct district_unit *u = &cfg.districts.units[next() % cfg.districts.nunits];
			uint64_t r = next();
			enum store_put_result res;

			memset(&p, 0, sizeof(p));
			snprintf(id, sizeof(id), "%ld", 5200000000000000L + i);
			snprintf(author, sizeof(author), "作者%" PRIu64, r % (uint64_t)(n / 5 + 1));
			snprintf(title, sizeof(title), "%s的科普作品第%ld号", u->name, i);
			p.platform = platforms[r % 8].name;
			p.post_id = id;
			p.author_id = author;
			p.author_name = author;
			p.title = title;
			p.text = "走进科技馆，一起看星空 #千万IP创科普# #科普之光#";
			p.url = "https://example.cn/post";
			p.created_at = t0 + (int64_t)(next() % (30 * 86400));
			for (int k = 0; k < PC_N; k++) {
				p.counts[k] = (int64_t)((next() % 1000) * (uint64_t)(round + 1) * (k == 0 ? 50 : 1));
				p.known |= 1u << k;
			}
			hashtags[0] = "千万IP创科普";
			hashtags[1] = tags[next() % 10];
			hashtags[2] = tags[next() % 10];
			p.hashtags = hashtags;
			p.nhashtags = strcmp(hashtags[1], hashtags[2]) ? 3 : 2;
			p.campaign_tags = campaign;
			p.ncampaign_tags = 1;
			p.district = u->name;
			p.district_code = u->code;
			p.in_chongqing = 1;
			p.attribution_method = "text";
			p.attribution_confidence = 0.8;
			p.first_seen = round ? 0 : now;
			p.last_seen = now;
			if (store_put_post(st, &p, now, &res, &e) < 0)
				goto fail;
			if (i % 20000 == 19999 && (store_commit(st, &e) < 0 || store_begin(st, &e) < 0))
				goto fail;
		}
		if (store_commit(st, &e) < 0)
			goto fail;
		fprintf(stderr, "bench-mkdb: round %ld of %ld done\n", round + 1, rounds);
	}
	store_close(st);
	config_release(&cfg);
	return 0;
fail:
	fprintf(stderr, "bench-mkdb: %s\n", e.msg);
	return 1;
}
