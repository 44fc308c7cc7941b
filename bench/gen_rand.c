/*
 * bench/gen_rand.c - the generator's randomness: xoshiro256** seeded by
 * splitmix64, the draws the traffic is made of (uniform, chance,
 * exponential, log-normal) and the payload pools that packet bytes are
 * copied from.  The same seed gives the same draws.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <string.h>

#include "gen.h"

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rng_seed(rng_t *r, uint64_t seed)
{
    uint64_t s = seed;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix(&s);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rnd(rng_t *r)
{
    uint64_t *rs = r->s;
    const uint64_t v = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
    rs[2] ^= rs[0]; rs[3] ^= rs[1]; rs[1] ^= rs[2]; rs[0] ^= rs[3];
    rs[2] ^= t; rs[3] = rotl(rs[3], 45);
    return v;
}

uint32_t below(rng_t *r, uint32_t n) { return (uint32_t)(((rnd(r) >> 32) * (uint64_t)n) >> 32); }
int64_t range(rng_t *r, int64_t lo, int64_t hi) { return lo + (int64_t)below(r, (uint32_t)(hi - lo + 1)); }
double unit(rng_t *r) { return (double)(rnd(r) >> 11) * (1.0 / 9007199254740992.0); }
int chance(rng_t *r, double p) { return unit(r) < p; }
double expo(rng_t *r, double mean) { return -mean * log(1.0 - unit(r)); }

double lognorm(rng_t *r, double median, double sigma)
{
    const double u1 = 1.0 - unit(r), u2 = unit(r);
    const double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
    return median * exp(sigma * z);
}

uint64_t hash64(uint64_t x) { return splitmix(&x); }

/* Text: words of HTTP, HTML and JSON with spaces, tabs and line ends;
 * binary: random bytes. */
void init_pools(pools_t *p, rng_t *r)
{
    static const char *words[] = {
        "the", "data", "flow", "<div", "class=\"item\">", "</div>", "Content-Length:",
        "Accept-Encoding:", "gzip,", "deflate", "Cache-Control:", "max-age=3600", "GET",
        "/index.html", "HTTP/1.1", "200", "OK", "Host:", "www.example.com", "User-Agent:",
        "Mozilla/5.0", "(X11;", "Linux", "x86_64)", "<a", "href=\"/about\">", "</a>",
        "<script>", "var", "x", "=", "1;", "</script>", "{\"id\":", "42,", "\"name\":",
        "\"value\"}", "lorem", "ipsum", "dolor", "sit", "amet", "\\path\\to",
    };
    const size_t nw = sizeof(words) / sizeof(words[0]);
    uint8_t *textPool = p->text;
    size_t n = 0;
    while (n < POOL) {
        const char *w = words[below(r, (uint32_t)nw)];
        const size_t l = strlen(w);
        for (size_t i = 0; i < l && n < POOL; i++) textPool[n++] = (uint8_t)w[i];
        if (n >= POOL) break;
        const uint32_t sel = below(r, 100);
        if (sel < 8 && n + 1 < POOL) { textPool[n++] = '\r'; textPool[n++] = '\n'; }
        else if (sel < 10) textPool[n++] = '\t';
        else textPool[n++] = ' ';
    }
    for (size_t i = 0; i < POOL; i += 8) {
        const uint64_t v = rnd(r);
        memcpy(p->bin + i, &v, 8);
    }
}

/* len bytes from a random place in the text or the binary pool. */
void fill(const pools_t *p, rng_t *r, uint8_t *dst, size_t len, int text)
{
    if (!len) return;
    const uint8_t *pool = text ? p->text : p->bin;
    memcpy(dst, pool + below(r, (uint32_t)(POOL - len)), len);
}
