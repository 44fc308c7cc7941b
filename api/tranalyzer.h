/*
 * tranalyzer.h - T2's build settings, as t2mini has them.
 *
 * T2's plugins test these with #if to choose what they compile.  t2mini
 * has one value for each: T2's default.  Where T2 has other modes that
 * t2mini does not (alarm mode, force mode, machine reports, ...), a build
 * that asks for one (-DALARM_MODE=1) stops with an error naming it,
 * rather than building a plugin that would expect a core t2mini has not.
 */
#ifndef T2MINI_TRANALYZER_H
#define T2MINI_TRANALYZER_H

/* How a plugin's settings (the #defines in its header between T2's
 * "ENV / RUNTIME - conf Variables" line and "DO NOT EDIT BELOW HERE") are
 * read (t2utils.h, t2_get_env()):
 *   0  as compiled
 *   1  from the plugin's header file, at run time
 *   2  from the environment where set, else from the header file (T2's
 *      default) */
#ifndef ENVCNTRL
#define ENVCNTRL 2
#elif ENVCNTRL < 0 || ENVCNTRL > 2
#error "ENVCNTRL must be 0, 1 or 2"
#endif

#define T2_SENSORID 666                     /* -x */
#define PLUGIN_FOLDER ".tranalyzer/plugins/" /* under $HOME: pluginFolder */
#define MAX_FILENAME_LEN 1024

#define DEBUG   0           /* T2's debug output: none */
#define VERBOSE 2           /* the end report with its traffic statistics */

/* Time stamps are kept in nanoseconds: tv_usec of a flow's firstSeen and
 * lastSeen counts nanoseconds. */
#define TSTAMP_PREC 1
#define TSTAMPFAC   1000000000.0
#define TSTAMP_UTC  1

#ifndef FLOW_TIMEOUT        /* seconds of capture time a flow may idle; */
#define FLOW_TIMEOUT 182    /* build with -DFLOW_TIMEOUT=N to change it */
#endif

#define FRAGMENTATION  1    /* IP fragments join their first fragment's flow */
#define FRAG_HLST_CRFT 1    /* a fragment without a first one gets a flow */
#define IPVX_INTERPRET 0    /* bogus IP versions are not dissected */
#define ANONYM_IP      0    /* addresses are printed */
#define ETH_STAT_MODE  0    /* statistics by the innermost layer-2 type */
#define SUBNET_ON      1    /* geo subnet numbers for both addresses */
#define MAIN_OUTBUF_SIZE 1000000

/* Flow aggregation: none.  The bits name what T2 can aggregate on
 * (AGGREGATIONFLAG & SUBNET, ...). */
#define L4PROT  0x01
#define DSTPORT 0x02
#define SRCPORT 0x04
#define DSTIP   0x08
#define SRCIP   0x10
#define VLANID  0x20
#define SUBNET  0x80
#ifndef AGGREGATIONFLAG
#define AGGREGATIONFLAG 0x00
#elif AGGREGATIONFLAG != 0
#error "t2mini aggregates no flows: AGGREGATIONFLAG must be 0"
#endif
#define SUBNET_INIT (SUBNET_ON | (AGGREGATIONFLAG & SUBNET))

/* End report and monitoring: plugins report (t2PluginReport); reports
 * give totals.  With -DDIFF_REPORT=1 a plugin counts what changed since
 * its last monitoring report, as T2's plugins do; t2mini's own report
 * lines stay totals (see t2Plugin.h). */
#define PLUGIN_REPORT 1
#ifndef DIFF_REPORT
#define DIFF_REPORT 0
#endif

/* T2's modes t2mini does not have */
#ifndef ALARM_MODE
#define ALARM_MODE 0
#elif ALARM_MODE != 0
#error "t2mini has no alarm mode (ALARM_MODE): every flow is written"
#endif
#define ALARM_AND 0
#ifndef FORCE_MODE
#define FORCE_MODE 0
#elif FORCE_MODE != 0
#error "t2mini has no force mode (FORCE_MODE): plugins cannot end flows"
#endif
#ifndef BLOCK_BUF
#define BLOCK_BUF 0
#elif BLOCK_BUF != 0
#error "t2mini always writes the flow file (BLOCK_BUF must be 0)"
#endif
#ifndef MACHINE_REPORT
#define MACHINE_REPORT 0
#elif MACHINE_REPORT != 0
#error "t2mini has no machine report (MACHINE_REPORT): its reports are for people"
#endif
#ifndef USE_T2BUS
#define USE_T2BUS 0
#elif USE_T2BUS != 0
#error "t2mini has no t2Bus (USE_T2BUS)"
#endif
#ifndef ESOM_DEP
#define ESOM_DEP 0
#elif ESOM_DEP != 0
#error "t2mini has no ESOM dependency mode (ESOM_DEP)"
#endif
#ifndef REPORT_HIST
#define REPORT_HIST 0
#elif REPORT_HIST != 0
#error "t2mini keeps no report history (REPORT_HIST): t2SaveState is never called"
#endif

#endif
