"""The tutorial's own captures: annoloc2.pcap and faf-exercise.pcap.

The tutorial ../shared/seed/pluginpacketmode-tutorial.txt ("Plugin packet
mode") prints rows of the packet file for two captures that are not in this
repository (they are T2's tutorial downloads):

    wget --no-check-certificate -P data \\
        https://tranalyzer.com/download/data/annoloc2.pcap \\
        https://tranalyzer.com/download/data/faf-exercise.pcap

With them in data/, these tests run t2mini and check, column by column, the
rows the tutorial printed: the first nine annoloc2 rows selected by
`$tcpWinThPktCnt > 0 && $tcpWinSize == 0`, and every row of flow 35 of
faf-exercise.  Only the columns that do not depend on the T2 version or the
geo tables are compared (the page was printed by T2 0.9.0, whose time column
lacked zero padding and whose IATs had 6 decimals).

They are not part of `make test` (the captures are not in the repository, and
a test that skips is no test): `make tutorial-check` runs them, and fails
naming the capture that is missing.
"""
import re

import pytest

from conftest import DATA, run_t2mini

COLUMNS = ("pktNo", "flowInd", "flowStat", "numHdrs", "hdrDesc", "srcMac", "dstMac",
           "ethType", "srcIP", "srcPort", "dstIP", "dstPort", "l4Proto", "tcpWinSize",
           "tcpWinThPktCnt", "l7Content")

# tawk 'hdr() || ($tcpWinThPktCnt > 0 && $tcpWinSize == 0)' annoloc2_packets.txt | head
ANNOLOC2_ROWS = [
    ('521', '265', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:d0:02:6d:78:00', '00:50:fc:0e:21:56', '0x0800', '209.171.12.143', '4987', '138.212.185.230', '41250', '6', '0', '1', ''),
    ('1159', '60', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:d0:02:6d:78:00', '00:50:fc:26:95:88', '0x0800', '193.87.5.62', '62486', '138.212.188.178', '2100', '6', '0', '1', ''),
    ('1167', '447', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:d0:02:6d:78:00', '00:50:fc:3b:62:78', '0x0800', '217.41.129.13', '58872', '138.212.187.186', '80', '6', '0', '1', ''),
    ('1497', '523', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:00:b4:a9:15:71', '00:d0:02:6d:78:00', '0x0800', '138.212.185.150', '1207', '212.223.121.197', '8000', '6', '0', '1', ''),
    ('1684', '392', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:50:bf:59:85:48', '00:d0:02:6d:78:00', '0x0800', '138.212.188.67', '1214', '36.242.181.230', '4685', '6', '0', '1', ''),
    ('2004', '176', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:d0:02:6d:78:00', '00:80:48:b3:13:27', '0x0800', '216.237.125.166', '3507', '138.212.184.193', '8080', '6', '0', '1', ''),
    ('2232', '633', '0x0400000200004001', '3', 'eth:ipv4:tcp', '00:60:08:78:1b:63', '00:d0:02:6d:78:00', '0x0800', '138.212.187.203', '6699', '19.123.222.7', '1430', '6', '0', '1', ''),
    ('2295', '642', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:80:48:cd:8c:82', '00:d0:02:6d:78:00', '0x0800', '138.212.186.160', '1217', '70.196.57.198', '9000', '6', '0', '1', ''),
    ('3975', '176', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:d0:02:6d:78:00', '00:80:48:b3:13:27', '0x0800', '216.237.125.166', '3507', '138.212.184.193', '8080', '6', '0', '2', ''),
]

# tawk 'flow(35)' faf-exercise_packets.txt
FAF_FLOW35_ROWS = [
    ('1266', '35', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:08:74:38:01:b4', '00:19:e3:e7:5d:23', '0x0800', '192.168.1.105', '49329', '143.166.11.10', '21', '6', '8192', '0', ''),
    ('1267', '35', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:19:e3:e7:5d:23', '00:08:74:38:01:b4', '0x0800', '143.166.11.10', '21', '192.168.1.105', '49329', '6', '4140', '0', ''),
    ('1268', '35', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:08:74:38:01:b4', '00:19:e3:e7:5d:23', '0x0800', '192.168.1.105', '49329', '143.166.11.10', '21', '6', '64860', '0', ''),
    ('1269', '35', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:19:e3:e7:5d:23', '00:08:74:38:01:b4', '0x0800', '143.166.11.10', '21', '192.168.1.105', '49329', '6', '4140', '0', '220 Microsoft FTP Service\\r\\n'),
    ('1270', '35', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:08:74:38:01:b4', '00:19:e3:e7:5d:23', '0x0800', '192.168.1.105', '49329', '143.166.11.10', '21', '6', '64833', '0', 'USER anonymous\\r\\n'),
    ('1271', '35', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:19:e3:e7:5d:23', '00:08:74:38:01:b4', '0x0800', '143.166.11.10', '21', '192.168.1.105', '49329', '6', '4156', '0', '331 Anonymous access allowed, send identity (e-mail name) as password.\\r\\n'),
    ('1272', '35', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:08:74:38:01:b4', '00:19:e3:e7:5d:23', '0x0800', '192.168.1.105', '49329', '143.166.11.10', '21', '6', '64761', '0', 'PASS IEUser@\\r\\n'),
    ('1273', '35', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:19:e3:e7:5d:23', '00:08:74:38:01:b4', '0x0800', '143.166.11.10', '21', '192.168.1.105', '49329', '6', '4170', '0', "230-Welcome to the Dell FTP site. A service of Dell Inc., Round Rock, Texas.\\r\\n For information about DELL, call +1 800 999 3355 All transfers are logged with\\r\\n your host name and email address. If you don't like this policy please disconnect now.\\r\\n Please be advised that use constitutes consent to monitoring (Elec Comm Priv Act,\\r\\n 18 USC 2701-2711). Please see the file readme.txt for disclaimers pertaining to this\\r\\n service. If your FTP client crashes or hangs shortly after login, try using a dash\\r\\n (-) as the first character of your password. This will turn off the informational\\r\\n messages which may be confusing your ftp client.\\r\\n ********IN CASE OF PROBLEMS*************************\\r\\n ** File Content: send EMAIL to dellbbs@dell.com **\\r\\n ** FTP Server: send EMAIL to hostmaster@dell.com **\\r\\n ** WWW Server: send EMAIL to webmaster@dell.com **\\r\\n ****************************************************\\r\\n"),
    ('1274', '35', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:19:e3:e7:5d:23', '00:08:74:38:01:b4', '0x0800', '143.166.11.10', '21', '192.168.1.105', '49329', '6', '4170', '0', '230 User logged in.\\r\\n'),
    ('1275', '35', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:08:74:38:01:b4', '00:19:e3:e7:5d:23', '0x0800', '192.168.1.105', '49329', '143.166.11.10', '21', '6', '63790', '0', ''),
    ('1276', '35', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:08:74:38:01:b4', '00:19:e3:e7:5d:23', '0x0800', '192.168.1.105', '49329', '143.166.11.10', '21', '6', '63790', '0', 'TYPE I\\r\\n'),
    ('1277', '35', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:19:e3:e7:5d:23', '00:08:74:38:01:b4', '0x0800', '143.166.11.10', '21', '192.168.1.105', '49329', '6', '4178', '0', '200 Type set to I.\\r\\n'),
    ('1278', '35', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:08:74:38:01:b4', '00:19:e3:e7:5d:23', '0x0800', '192.168.1.105', '49329', '143.166.11.10', '21', '6', '63770', '0', 'PASV\\r\\n'),
    ('1279', '35', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:19:e3:e7:5d:23', '00:08:74:38:01:b4', '0x0800', '143.166.11.10', '21', '192.168.1.105', '49329', '6', '4184', '0', '227 Entering Passive Mode (143,166,11,10,251,78)\\r\\n'),
    ('1283', '35', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:08:74:38:01:b4', '00:19:e3:e7:5d:23', '0x0800', '192.168.1.105', '49329', '143.166.11.10', '21', '6', '63720', '0', 'SIZE /video/R79733.EXE\\r\\n'),
    ('1284', '35', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:19:e3:e7:5d:23', '00:08:74:38:01:b4', '0x0800', '143.166.11.10', '21', '192.168.1.105', '49329', '6', '4208', '0', '213 4255056\\r\\n'),
    ('1285', '35', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:08:74:38:01:b4', '00:19:e3:e7:5d:23', '0x0800', '192.168.1.105', '49329', '143.166.11.10', '21', '6', '63707', '0', 'RETR /video/R79733.EXE\\r\\n'),
    ('1286', '35', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:19:e3:e7:5d:23', '00:08:74:38:01:b4', '0x0800', '143.166.11.10', '21', '192.168.1.105', '49329', '6', '4232', '0', '125 Data connection already open; Transfer starting.\\r\\n'),
    ('1303', '35', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:08:74:38:01:b4', '00:19:e3:e7:5d:23', '0x0800', '192.168.1.105', '49329', '143.166.11.10', '21', '6', '63653', '0', ''),
    ('5898', '35', '0x0400000000004001', '3', 'eth:ipv4:tcp', '00:19:e3:e7:5d:23', '00:08:74:38:01:b4', '0x0800', '143.166.11.10', '21', '192.168.1.105', '49329', '6', '4232', '0', '226 Transfer complete.\\r\\n'),
    ('5900', '35', '0x0400000000004000', '3', 'eth:ipv4:tcp', '00:08:74:38:01:b4', '00:19:e3:e7:5d:23', '0x0800', '192.168.1.105', '49329', '143.166.11.10', '21', '6', '63629', '0', ''),
]


def need(name):
    cap = DATA / name
    if not cap.exists():
        pytest.fail(f"{name} is not in data/: download it from "
                    f"https://tranalyzer.com/download/data/{name} (see README)")
    return cap


def packet_rows(path):
    lines = path.read_bytes().decode("latin-1").rstrip("\n").split("\n")
    header = lines[0].lstrip("%").split("\t")
    return header, [dict(zip(header, ln.split("\t"))) for ln in lines[1:]]


def check_rows(expected, got):
    assert len(got) == len(expected)
    for exp, row in zip(expected, got):
        for name, value in zip(COLUMNS, exp):
            assert row[name] == value, f"pktNo {exp[0]}: column {name}"


def test_annoloc2_rows_of_the_tutorial(t2mini, tmp_path):
    cap = need("annoloc2.pcap")
    proc = run_t2mini(t2mini, cap, tmp_path)
    assert proc.returncode == 0, proc.stderr
    _, rows = packet_rows(tmp_path / "annoloc2_packets.txt")
    selected = [r for r in rows
                if r["tcpWinThPktCnt"] not in ("", "0") and r["tcpWinSize"] == "0"]
    check_rows(ANNOLOC2_ROWS, selected[:9])

    report = proc.stdout
    assert re.search(r"^Number of processed packets: 1219015\b", report, re.M)
    assert re.search(r"^Number of processed +flows: 17100\b", report, re.M)
    assert re.search(r"^tcpWin: Number of TCP winsize packets below threshold 1: 2415\b",
                     report, re.M)


def test_faf_exercise_flow_35_of_the_tutorial(t2mini, tmp_path):
    cap = need("faf-exercise.pcap")
    proc = run_t2mini(t2mini, cap, tmp_path)
    assert proc.returncode == 0, proc.stderr
    _, rows = packet_rows(tmp_path / "faf-exercise_packets.txt")
    check_rows(FAF_FLOW35_ROWS, [r for r in rows if r["flowInd"] == "35"])
