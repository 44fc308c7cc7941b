/*
 * options.c - T2's command line: getopt over the short options, T2's long
 * options turned into short ones first, then checks and defaults.
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700      /* setpriority: XSI */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "flow_table.h"
#include "options.h"
#include "read_list.h"


static void usage(FILE *f)
{
    fputs("Usage: t2mini [OPTION...] [BPF]\n"
          "\n"
          "Tranalyzer2 0.9.3's packet mode in miniature, with T2's command line:\n"
          "writes PREFIX_flows.txt, PREFIX_headers.txt and, with -s,\n"
          "PREFIX_packets.txt as T2 with basicFlow, tcpWin and txtSink writes them,\n"
          "and prints T2's end report.  Long options take their value after '='\n"
          "or as the next word.\n"
          "\n"
          "Input (one of):\n"
          "  -r, --pcap PCAP  read packets from PCAP (pcap or pcapng; '-': stdin)\n"
          "  -R, --pcap-list FILE\n"
          "               read every capture listed in FILE, as one run\n"
          "  -D, --input-regex EXPR[:SCHR][,STOP]\n"
          "               read a numbered series (dump.pcap00, dump.pcap01, ...):\n"
          "               the number follows the last SCHR (default 'p'); up to\n"
          "               STOP, waiting for files not there yet\n"
          "  -i, --interface IFACE\n"
          "               capture live on IFACE until SIGINT (twice) or SIGTERM\n"
          "Output:\n"
          "  -w, --output-prefix PREFIX\n"
          "               output prefix; an existing directory or a name ending\n"
          "               in '/' puts the files there, named after the input\n"
          "               (default: next to the input); '-': flow file to stdout\n"
          "  -W, --output-regex PREFIX[:SIZE][,START]\n"
          "               like -w, flow files cut at SIZE bytes (K, M, G) or, with\n"
          "               a trailing 'f', SIZE flows, numbered from START\n"
          "  -l, --logfile  end report to PREFIX_log.txt instead of stdout\n"
          "  -m, --monfile  monitoring reports to PREFIX_monitoring.txt\n"
          "  -s, --packets  packet mode: write the packet file\n"
          "Live capture:\n"
          "  -S, --snaplen SNAPLEN   snapshot length (default 65535)\n"
          "  -B, --rx-bufsize BYTES  kernel buffer size (default 33554432)\n"
          "Other:\n"
          "  -F, --bpf-file FILE  read the BPF filter from FILE ('#': a comment)\n"
          "  -f, --hash-factor FACTOR\n"
          "               flow table size factor (the table holds FACTOR x 262144)\n"
          "  -x, --sensor-id ID  sensor ID (headers file)\n"
          "  -M, --mon-interval SECONDS\n"
          "               monitoring interval (reports on SIGUSR2, toggled)\n"
          "  -P, --priority PRIO  priority (nice value): -20 (root only) to 20\n"
          "  -G GEODIR    label addresses from GEODIR/subnets4.txt and\n"
          "               GEODIR/subnets6.txt (T2's format) instead of the\n"
          "               tables built in (T2 0.9.3's, from data/)\n"
          "  -Y, --dump FILE  also write every packet read to FILE (pcap), e.g.\n"
          "               to keep what a live capture saw\n"
          "  -V, --version  show the version\n"
          "  -h, --help   show this help\n"
          "  BPF          what remains: a filter expression, as for tcpdump\n"
          "Signals: a first SIGINT stops flow creation (the run ends when no flow\n"
          "is left), a second ends reading, a third skips the flows not yet\n"
          "written; SIGTERM ends reading, and once reading is over ends the run\n"
          "at once (status 1).  SIGUSR1 prints a report, SIGUSR2 toggles\n"
          "monitoring.\n"
          "Exit status: 0 the input was processed, 1 t2mini could not do its\n"
          "job, 2 a usage error.\n"
          "T2's -p, -b, -e and -c (--plugin-folder, --plugin-list, --pcapd,\n"
          "--cpu) do not apply to t2mini.\n", f);
}

/* T2's long options, for scripts that spell them out. */
static const struct {
    const char *name;
    const char *short_form;
} long_options[] = {
    { "pcap", "-r" }, { "pcap-list", "-R" }, { "input-regex", "-D" }, { "interface", "-i" },
    { "logfile", "-l" }, { "monfile", "-m" }, { "packets", "-s" }, { "output-prefix", "-w" },
    { "output-regex", "-W" }, { "plugin-list", "-b" }, { "cpu", "-c" }, { "pcapd", "-e" },
    { "hash-factor", "-f" }, { "bpf-file", "-F" }, { "plugin-folder", "-p" },
    { "sensor-id", "-x" }, { "snaplen", "-S" }, { "priority", "-P" }, { "rx-bufsize", "-B" },
    { "mon-interval", "-M" }, { "version", "-V" }, { "help", "-h" },
    { "dump", "-Y" },           /* t2mini's own */
};

/* "--name" becomes "-c" and "--name=value" "-c value", so that getopt
 * sees short options only; NULL after a line on stderr. */
char **options_short_args(int argc, char **argv, int *out_argc)
{
    char **out = calloc((size_t)argc * 2 + 1, sizeof(*out));
    if (!out) return NULL;
    int n = 0, i = 0, ended = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (ended || i == 0 || strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            ended |= i > 0 && strcmp(a, "--") == 0;
            out[n++] = argv[i];
            continue;
        }
        const char *eq = strchr(a, '=');
        const size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        size_t k = 0;
        const size_t count = sizeof(long_options) / sizeof(long_options[0]);
        while (k < count && (strlen(long_options[k].name) != len || strncmp(long_options[k].name, a + 2, len) != 0)) k++;
        if (k == count) {
            fprintf(stderr, "t2mini: unknown option '%s' (try 't2mini -h')\n", a);
            free(out);
            return NULL;
        }
        out[n++] = (char *)long_options[k].short_form;
        if (eq) out[n++] = (char *)(eq + 1);
    }
    *out_argc = n;
    return out;
}

/* -F FILE: comments ('#' to the end of the line) become spaces and
 * trailing spaces and newlines go, as in T2; NULL after a line on stderr. */
static char *read_bpf_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "t2mini: %s: cannot read BPF file: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    int c, in_comment = 0;
    while (buf && (c = fgetc(f)) != EOF) {
        if (c == '#') in_comment = 1;
        if (c == '\n') in_comment = 0;
        if (len + 2 > cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) free(buf);
            buf = grown;
            if (!buf) break;
        }
        buf[len++] = in_comment ? ' ' : (char)c;
    }
    fclose(f);
    if (!buf) {
        fputs("t2mini: out of memory\n", stderr);
        return NULL;
    }
    while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\n')) len--;
    buf[len] = '\0';
    if (len == 0) {
        fprintf(stderr, "t2mini: %s: empty BPF file\n", path);
        free(buf);
        return NULL;
    }
    return buf;
}

/* What remains after the options is the BPF expression, words joined by
 * spaces as tcpdump does; NULL if there is none. */
char *options_join(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    if (argc == 0) return NULL;
    char *s = malloc(n);
    if (!s) return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i) strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

/* -W PREFIX[:SIZE][,START]: SIZE may end in K, M or G, then in 'f' for a
 * number of flows; without SIZE, T2 cuts at 500 MB. */
static void parse_split(options_t *o, char *arg)
{
    char *comma = strrchr(arg, ',');
    if (comma) {
        o->split_start = strtoull(comma + 1, NULL, 0);
        *comma = '\0';
    }
    char *colon = strrchr(arg, ':');
    o->split_size = 5e8;
    if (colon) {
        o->split_size = atof(colon + 1);
        const char *unit = colon + strlen(colon) - 1;
        if (*unit == 'f') {
            o->split_by_flows = 1;
            unit--;
        }
        if (*unit == 'K') o->split_size *= 1e3;
        else if (*unit == 'M') o->split_size *= 1e6;
        else if (*unit == 'G') o->split_size *= 1e9;
        *colon = '\0';
    }
    o->out_prefix = arg;
}

static int usage_error(const char *msg)
{
    fprintf(stderr, "t2mini: %s (try 't2mini -h')\n", msg);
    return OPT_USAGE;
}

static int option_error(int c, const char *msg)
{
    fprintf(stderr, "t2mini: option '-%c' %s (try 't2mini -h')\n", c, msg);
    return OPT_USAGE;
}

/* T2's options that concern its plugin loading, pcapd and CPU
 * placement: one line saying why they do not apply. */
static int not_applicable(int c)
{
    const char *why = c == 'p' ? "plugins are compiled into t2mini, there is no plugin folder"
                    : c == 'b' ? "plugins are compiled into t2mini, there is no plugin list"
                    : c == 'e' ? "t2mini has no pcapd plugin to extract packets with"
                    : "binding to a CPU is not in POSIX: use taskset or cpuset";
    fprintf(stderr, "t2mini: option '-%c' does not apply: %s\n", c, why);
    return OPT_USAGE;
}

/* -P PRIO: the nice value, -20 (highest) to 20, below 0 for root only,
 * as T2 checks it. */
static int set_priority(const char *arg)
{
    const long prio = strtol(arg, NULL, 0);
    if (prio > 20 || prio < (getuid() == 0 ? -20 : 0)) {
        return option_error('P', getuid() == 0 ? "needs a priority from -20 to 20"
                                               : "needs a priority from 0 to 20 (below 0: root only)");
    }
    if (setpriority(PRIO_PROCESS, 0, (int)prio) != 0) {
        fprintf(stderr, "t2mini: cannot set the priority to %ld: %s\n", prio, strerror(errno));
        return OPT_FAIL;
    }
    return OPT_RUN;
}

static int take_input(options_t *o, input_kind_t kind, const char *arg)
{
    if (o->input && o->input_kind != kind) {
        return usage_error("'-r', '-R', '-D' and '-i' exclude each other");
    }
    if (kind == INPUT_SERIES) {
        series_t s;
        if (series_parse(&s, arg) != 0) {
            return option_error('D', "has an invalid format, expected 'expr[:schr][,stop]'");
        }
        series_free(&s);
    }
    o->input_kind = kind;
    o->input = arg;
    return OPT_RUN;
}

static int take_number(const char *arg, int c, long *v)
{
    *v = strtol(arg, NULL, 0);
    if (*v < 0) return option_error(c, "needs a number greater than 0");
    return OPT_RUN;
}

/* One option; OPT_RUN to go on. */
static int take_option(options_t *o, int c, char *arg, char **bpf_file)
{
    long v;
    switch (c) {
        case 'r': return take_input(o, INPUT_FILE, arg);
        case 'R': return take_input(o, INPUT_LIST, arg);
        case 'D': return take_input(o, INPUT_SERIES, arg);
        case 'i': return take_input(o, INPUT_LIVE, arg);
        case 'w': o->out_prefix = arg; return OPT_RUN;
        case 'W': parse_split(o, arg); return OPT_RUN;
        case 'l': o->log_file = 1; return OPT_RUN;
        case 'm': o->mon_file = 1; return OPT_RUN;
        case 's': o->packet_mode = 1; return OPT_RUN;
        case 'G': o->geo_dir = arg; return OPT_RUN;
        case 'Y': o->dump_path = arg; return OPT_RUN;
        case 'F': *bpf_file = arg; return OPT_RUN;
        case 'x': o->sensor_id = (uint32_t)strtoul(arg, NULL, 0); return OPT_RUN;
        case 'f': {
            const unsigned long f = strtoul(arg, NULL, 0);
            if (f == 0 || f > UINT32_MAX / FLOW_CAPACITY) {
                return option_error(c, "needs a factor between 1 and 16383");
            }
            o->flow_capacity = FLOW_CAPACITY * (uint32_t)f;
            return OPT_RUN;
        }
        case 'M':
            o->mon_interval = atof(arg);
            if (o->mon_interval < 0) return option_error(c, "needs a number greater than 0");
            return OPT_RUN;
        case 'S': if (take_number(arg, c, &v) != OPT_RUN) return OPT_USAGE; o->snaplen = (int)v; return OPT_RUN;
        case 'B': if (take_number(arg, c, &v) != OPT_RUN) return OPT_USAGE; o->buf_size = (int)v; return OPT_RUN;
        case 'P': return set_priority(arg);
        case 'p': case 'b': case 'e': case 'c': return not_applicable(c);
        case 'h': usage(stdout); return OPT_DONE;
        case 'V': printf("t2mini %s (Tranalyzer2 0.9.3 packet mode)\n", T2MINI_VERSION); return OPT_DONE;
        case ':': return option_error(optopt, "needs an argument");
        default:
            fprintf(stderr, "t2mini: unknown option '-%c' (try 't2mini -h')\n", optopt);
            return OPT_USAGE;
    }
}

/* After the options: -w -, the filter, and that there is an input. */
static int finish_options(options_t *o, int argc, char **argv, const char *bpf_file)
{
    if (!o->input) return usage_error("no input: give one of -r, -R, -D or -i");
    if (o->out_prefix && strcmp(o->out_prefix, "-") == 0) {
        /* T2: the flow file to stdout, the rest as without -w, -l and -m on */
        o->out_prefix = NULL;
        o->flows_to_stdout = o->log_file = o->mon_file = 1;
    }
    if (bpf_file) {
        if (!(o->bpf_owned = read_bpf_file(bpf_file))) return OPT_FAIL;
    } else {
        o->bpf_owned = options_join(argc - optind, argv + optind);
    }
    o->bpf = o->bpf_owned;
    return OPT_RUN;
}

int options_parse(int argc, char **argv, options_t *o)
{
    memset(o, 0, sizeof(*o));
    o->report = stdout;
    o->flow_capacity = FLOW_CAPACITY;
    o->mon_interval = 1.0;
    o->sensor_id = 666;
    o->snaplen = 65535;
    o->buf_size = 0x2000000;
    o->handle_signals = 1;
    o->progress = isatty(STDERR_FILENO);
    char *bpf_file = NULL;
    int c, rc = OPT_RUN;
    opterr = 0;
    while (rc == OPT_RUN && (c = getopt(argc, argv, ":r:R:D:i:w:W:lmsG:Y:F:x:f:M:S:B:p:b:e:c:P:hV")) != -1) {
        rc = take_option(o, c, optarg, &bpf_file);
    }
    return rc == OPT_RUN ? finish_options(o, argc, argv, bpf_file) : rc;
}

