/*
 * exercise.c - T2's log and report macros and helpers, each called once
 * or a few times, printing to `f` (and to dooF and stderr).
 *
 * The same file is built into a T2 plugin (its t2Init calls exercise()),
 * which gave tests/t2api/expected_*.txt, and into the driver of
 * tests/test_t2api.py, which compares t2mini's output with them.
 */

static uint8_t aggrU8 = 0x12;
static uint16_t aggrU16 = 0x0304;
static uint32_t aggrU32 = 0xabc;
static uint64_t aggrU64 = 0x1;
static uint8_t aggrZero = 0;

static void numbers(FILE *f)
{
    const uint64_t zero = 0;
    T2_FPLOG(f, plugin_name, "plain %d %s", 42, "text");
    T2_FPLOG(f, plugin_name, "no arguments");
    T2_FPLOG_NUMP(f, plugin_name, "Number of things", 1234567, 9876543);
    T2_FPLOG_NUMP(f, plugin_name, "Number of nothing", zero, 100);
    T2_FPLOG_NUMP0(f, plugin_name, "Number of nothing", zero, 100);
    T2_FPLOG_NUMP0(f, plugin_name, "Number of things of none", 5, 0);
    const uint64_t counts[] = { 1, 1023, 1024, 999999, 1000000, 1048575, 1048576,
                                123456789012ULL, 1ULL << 50, UINT64_MAX };
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        T2_FPLOG_NUM(f, plugin_name, "Count", counts[i]);
        T2_FPLOG_NUMP(f, plugin_name, "Share", counts[i], 3 * counts[i]);
    }
    T2_FPLOG_NUM(f, plugin_name, "Count", zero);
    T2_FLOG_NUMP(f, "Number of packets", 2048, 4096);
    T2_FLOG_NUMP(f, "Number of none", zero, 10);
    T2_FLOG_NUMP0(f, "Number of none", zero, 10);
    T2_FPLOG_AGGR_HEX(f, plugin_name, aggrU8);
    T2_FPLOG_AGGR_HEX(f, plugin_name, aggrU16);
    T2_FPLOG_AGGR_HEX(f, plugin_name, aggrU32);
    T2_FPLOG_AGGR_HEX(f, plugin_name, aggrU64);
    T2_FPLOG_AGGR_HEX(f, plugin_name, aggrZero);
    T2_FPLOG_AGGR_HEX0(f, plugin_name, aggrZero);
    T2_FPLOG_AGGR_HEX0(f, plugin_name, aggrU16);
}

static void differences(FILE *f)
{
    uint64_t cnt = 1500, cnt0 = 500, tot = 10000, tot0 = 2000;
    T2_FPLOG_DIFFNUMP(f, plugin_name, "Diff", cnt, tot);
    T2_PLOG_DIFFNUMP(f, plugin_name, "PDiff", cnt, tot);
    cnt0 = cnt;
    T2_FPLOG_DIFFNUMP(f, plugin_name, "Diff none", cnt, tot);
    tot0 = tot;
    T2_FPLOG_DIFFNUMP0(f, plugin_name, "Diff of none", cnt, tot);
    cnt = cnt0 = 0;
    T2_FPLOG_DIFFNUMP(f, plugin_name, "Diff zero", cnt, tot);
}

static void conversions(FILE *f)
{
    char hr[64];
    T2_CONV_NUM(1577658, hr);
    fprintf(f, "[%s]\n", hr);
    T2_CONV_NUM(999, hr);
    fprintf(f, "[%s]\n", hr);
    T2_CONV_NUM_SFX(2500000, hr, "b/s");
    fprintf(f, "[%s]\n", hr);
    fprintf(f, "0x%02" B2T_PRIX8 " 0x%04" B2T_PRIX16 " 0x%08" B2T_PRIX32 " 0x%016" B2T_PRIX64 "\n",
            (uint8_t)0xab, (uint16_t)0xcd, (uint32_t)0xef, (uint64_t)0x1234);
    fprintf(f, "%s %d %d %d %d\n", STR(T2_SENSORID), MIN(3, 4), MAX(3, 4), MIN3(5, 2, 9), MAX3(5, 2, 9));
    char *s = t2_strdup_printf("%s-%d-%05.1f", "abc", 7, 3.14159);
    fprintf(f, "%s\n", s);
    free(s);
    char dst[6];
    const t2_strcpy_t how[] = { T2_STRCPY_TRUNC, T2_STRCPY_ELLIPSIS, T2_STRCPY_EMPTY };
    for (size_t i = 0; i < sizeof(how) / sizeof(how[0]); i++) {
        const size_t n = t2_strcpy(dst, "abcdefgh", sizeof(dst), how[i]);
        fprintf(f, "%zu [%s]\n", n, dst);
    }
    fprintf(f, "%zu [%s]\n", t2_strcpy(dst, "abc", sizeof(dst), T2_STRCPY_EXIT), dst);
}

/* the header structs, read from bytes as a plugin reads a packet */
static void headers(FILE *f)
{
    static const uint8_t ip[20] = { 0x45, 0x10, 0x00, 0x3c, 0x12, 0x34, 0x20, 0x05,
                                    0x40, 0x06, 0xaa, 0xbb, 10, 0, 0, 1, 192, 168, 1, 2 };
    static const uint8_t tcp[20] = { 0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 2,
                                     0x80, 0x12, 0xff, 0xff, 0x12, 0x34, 0, 0 };
    const ipHeader_t *ipHdrP = (const ipHeader_t *)ip;
    const tcpHeader_t *tcpHdrP = (const tcpHeader_t *)tcp;
    fprintf(f, "%zu %zu %zu %zu %zu %zu %zu\n", sizeof(ipHeader_t), sizeof(ip6Header_t),
            sizeof(tcpHeader_t), sizeof(udpHeader_t), sizeof(icmpHeader_t),
            sizeof(ethernetHeader_t), sizeof(ipAddr_t));
    fprintf(f, "v%d hl%d len%d id0x%04x ttl%d p%d mf%d off%d %s\n", IP_V(ipHdrP), IP_HL(ipHdrP),
            ntohs(ipHdrP->ip_len), ntohs(ipHdrP->ip_id), ipHdrP->ip_ttl, ipHdrP->ip_p,
            (ipHdrP->ip_off & MORE_FRAG_N) != 0, ntohs(ipHdrP->ip_off & FRAGID_N),
            inet_ntoa(ipHdrP->ip_src));
    fprintf(f, "%u>%u doff%u flags0x%02x%s%s win%u\n", ntohs(tcpHdrP->source), ntohs(tcpHdrP->dest),
            tcpHdrP->doff, tcpHdrP->flags, (tcpHdrP->flags & TH_SYN_ACK) == TH_SYN_ACK ? " SYN-ACK" : "",
            tcpHdrP->flags & TH_CWR ? " CWR" : "", ntohs(tcpHdrP->window));
    const uint16_t check = Checksum((const uint16_t *)ip, 0, sizeof(ip), 5);
    fprintf(f, "checksum 0x%04x\n", (unsigned)ntohs((uint16_t)~check));
    fprintf(f, "checksum odd 0x%04x\n", (unsigned)Checksum((const uint16_t *)tcp, 0, 7, 0));
}

/* the settings in t2apiCheck.h, one of them from the environment */
static void settings(FILE *f)
{
    t2_env_t env[ENV_T2APICHECK_N];
    memset(env, 0, sizeof(env));
    t2_get_env(PLUGIN_SRCH, ENV_T2APICHECK_N, env);
    for (int i = 0; i < ENV_T2APICHECK_N; i++) fprintf(f, "%s=[%s]\n", env[i].key, env[i].val);
    fprintf(f, "%llu %lld %llu\n", T2_ENV_VAL_UINT(T2APICHECK_NUM), T2_ENV_VAL_INT(T2APICHECK_NEG),
            T2_ENV_VAL_UINT(T2APICHECK_HEX));
    char *name = T2_STEAL_ENV_VAL(T2APICHECK_NAME);
    t2_free_env(ENV_T2APICHECK_N, env);
    fprintf(f, "stolen [%s]\n", name);
    free(name);
}

/* a file manager that keeps two files open at once, with three files */
static void files(FILE *f, const char *dir)
{
    file_manager_t *fm = file_manager_new(2);
    file_object_t *obj[3];
    for (int i = 0; i < 3; i++) {
        char *path = t2_strdup_printf("%s/fm%d.txt", dir, i);
        obj[i] = file_manager_open(fm, path, "w");
        free(path);
        fprintf(f, "open %d: %s\n", i, obj[i] ? "ok" : "failed");
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 3; i++) {
            FILE *fp = file_manager_fp(fm, obj[i]);
            fprintf(fp, "round %d, file %d\n", round, i);
        }
        file_manager_fprintf(fm, obj[round], "fprintf %d\n", round);
        file_manager_fputs(fm, obj[round], "fputs\n");
        file_manager_fputc(fm, obj[round], '!');
        file_manager_fwrite(fm, obj[round], "\n", 1, 1);
    }
    fprintf(f, "close: %d\n", file_manager_close(fm, obj[1]));
    fprintf(f, "close NULL: %d\n", file_manager_close(fm, NULL));
    fprintf(f, "fp NULL: %d\n", file_manager_fp(fm, NULL) == NULL);
    file_manager_destroy(fm);       /* closes obj[0] and obj[2] */
    for (int i = 0; i < 3; i++) {
        FILE *in = t2_fopen_in_dir(dir, i == 0 ? "fm0.txt" : i == 1 ? "/fm1.txt" : "fm2.txt", "r");
        char line[64];
        while (in && fgets(line, sizeof(line), in)) fprintf(f, "fm%d: %s", i, line);
        if (in) fclose(in);
    }
    FILE *out = t2_fopen_with_suffix(dir, "/suffix.txt", "w");
    fprintf(f, "suffix: %s\n", out ? "ok" : "failed");
    if (out) fclose(out);
}

/* messages: the report stream (dooF) and stderr */
static void messages(void)
{
    T2_PLOG(plugin_name, "log %d", 1);
    T2_PINF(plugin_name, "info %s", "x");
    T2_POK(plugin_name, "ok");
    T2_PWRN(plugin_name, "warning %u", 3u);
    T2_PERR(plugin_name, "error %c", 'e');
    T2_FPWRN(dooF, plugin_name, "to a stream");
    T2_WRN("no plugin name");
    T2_ERR("an error without a plugin name");
    FILE *none = t2_fopen("/nonexistent/dir/file.txt", "r");
    if (none) fclose(none);
}

static void exercise(FILE *f, const char *dir)
{
    numbers(f);
    differences(f);
    conversions(f);
    headers(f);
    settings(f);
    files(f, dir);
    messages();
}
