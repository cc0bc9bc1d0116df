/*
 * c_parser_bench.c - throughput of the official MAVLink C parser (mavlink_parse_char).
 *
 * The reference Furrow is compared against: the header-only C library that pymavlink's mavgen
 * generates (ardupilotmega dialect, wire protocol 2.0). The headers are generated at run time by
 * Benchmarks/harness/run.py and never committed. Build by hand:
 *
 *   python3 -m pymavlink.tools.mavgen --lang=C --wire-protocol=2.0 --output=/tmp/mavc \
 *       "$(python3 -c 'import pymavlink,os;print(os.path.dirname(pymavlink.__file__))')/dialects/v20/ardupilotmega.xml"
 *   gcc -O3 -I/tmp/mavc/ardupilotmega -o c_parser_bench c_parser_bench.c
 *
 * Usage: c_parser_bench raw|tlog [--decode] FILE
 *
 *   raw     every byte of FILE goes through mavlink_parse_char (a serial capture).
 *   tlog    FILE is a .tlog: records of an 8-byte timestamp followed by one frame. The timestamp
 *           is skipped (not parsed), then bytes are fed to mavlink_parse_char until a frame
 *           completes, then the next timestamp is skipped. This is the "timestamps skipped"
 *           method of research/mavlink.md c.2; without it, 0xFD/0xFE bytes inside timestamps
 *           start false frames and ~3 % of frames are lost.
 *   --decode also decodes every frame's payload: mavlink_msg_<name>_decode() into the message
 *           struct for the message types of the benchmark stream, and for any other id a memcpy
 *           of the (zero-filled) payload into a zeroed buffer of the message's maximum length.
 *           A few decoded fields are folded into a checksum so the work cannot be optimised away.
 *
 * The file is streamed in 1 MiB chunks with read(2); nothing is memory-mapped or preloaded.
 * Output, one JSON line on stdout:
 *   {"impl":"c","mode":"raw","decode":false,"bytes":...,"frames":...,"frames_v1":...,
 *    "bad_crc":...,"cpu_s":...,"wall_s":...,"mb_per_s":...,"frames_per_s":...,"checksum":...}
 * cpu_s is CLOCK_PROCESS_CPUTIME_ID at exit (whole process: reads + parsing); MB = 10^6 bytes.
 * bad_crc counts frames whose checksum did not match (includes unknown message ids, whose
 * CRC_EXTRA is unknown); headers rejected early (bad incompat flags) are not counted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mavlink.h"

#define CHUNK (1u << 20)
#define TLOG_TIMESTAMP_BYTES 8

static double seconds(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Decode one frame's payload; returns a value that depends on the decoded fields. */
static uint64_t decode_message(const mavlink_message_t *msg) {
    switch (msg->msgid) {
#define DECODE(ID, type, fn, expr)                                                                 \
    case ID: {                                                                                     \
        type m;                                                                                    \
        fn(msg, &m);                                                                               \
        return (uint64_t)(expr);                                                                   \
    }
    DECODE(MAVLINK_MSG_ID_HEARTBEAT, mavlink_heartbeat_t, mavlink_msg_heartbeat_decode,
           m.custom_mode + m.base_mode)
    DECODE(MAVLINK_MSG_ID_SYS_STATUS, mavlink_sys_status_t, mavlink_msg_sys_status_decode,
           m.voltage_battery + m.battery_remaining)
    DECODE(MAVLINK_MSG_ID_SYSTEM_TIME, mavlink_system_time_t, mavlink_msg_system_time_decode,
           m.time_unix_usec)
    DECODE(MAVLINK_MSG_ID_GPS_RAW_INT, mavlink_gps_raw_int_t, mavlink_msg_gps_raw_int_decode,
           (int64_t)m.lat + m.lon + m.h_acc)
    DECODE(MAVLINK_MSG_ID_RAW_IMU, mavlink_raw_imu_t, mavlink_msg_raw_imu_decode,
           m.time_usec + m.zacc)
    DECODE(MAVLINK_MSG_ID_SCALED_IMU2, mavlink_scaled_imu2_t, mavlink_msg_scaled_imu2_decode,
           m.time_boot_ms + m.zacc)
    DECODE(MAVLINK_MSG_ID_SCALED_PRESSURE, mavlink_scaled_pressure_t,
           mavlink_msg_scaled_pressure_decode, m.press_abs)
    DECODE(MAVLINK_MSG_ID_ATTITUDE, mavlink_attitude_t, mavlink_msg_attitude_decode,
           m.time_boot_ms + (int64_t)(m.roll * 1000.0f))
    DECODE(MAVLINK_MSG_ID_LOCAL_POSITION_NED, mavlink_local_position_ned_t,
           mavlink_msg_local_position_ned_decode, m.time_boot_ms + (int64_t)m.z)
    DECODE(MAVLINK_MSG_ID_GLOBAL_POSITION_INT, mavlink_global_position_int_t,
           mavlink_msg_global_position_int_decode, (int64_t)m.lat + m.lon + m.relative_alt)
    DECODE(MAVLINK_MSG_ID_SERVO_OUTPUT_RAW, mavlink_servo_output_raw_t,
           mavlink_msg_servo_output_raw_decode, m.servo1_raw + m.servo9_raw)
    DECODE(MAVLINK_MSG_ID_MISSION_CURRENT, mavlink_mission_current_t,
           mavlink_msg_mission_current_decode, m.seq)
    DECODE(MAVLINK_MSG_ID_NAV_CONTROLLER_OUTPUT, mavlink_nav_controller_output_t,
           mavlink_msg_nav_controller_output_decode, m.wp_dist)
    DECODE(MAVLINK_MSG_ID_RC_CHANNELS, mavlink_rc_channels_t, mavlink_msg_rc_channels_decode,
           m.chan5_raw + m.rssi)
    DECODE(MAVLINK_MSG_ID_VFR_HUD, mavlink_vfr_hud_t, mavlink_msg_vfr_hud_decode,
           m.heading + m.throttle)
    DECODE(MAVLINK_MSG_ID_COMMAND_LONG, mavlink_command_long_t, mavlink_msg_command_long_decode,
           m.command)
    DECODE(MAVLINK_MSG_ID_COMMAND_ACK, mavlink_command_ack_t, mavlink_msg_command_ack_decode,
           m.command + m.result)
    DECODE(MAVLINK_MSG_ID_PARAM_VALUE, mavlink_param_value_t, mavlink_msg_param_value_decode,
           m.param_index + (uint8_t)m.param_id[0])
    DECODE(MAVLINK_MSG_ID_RADIO_STATUS, mavlink_radio_status_t, mavlink_msg_radio_status_decode,
           m.rssi + m.rxerrors)
    DECODE(MAVLINK_MSG_ID_POWER_STATUS, mavlink_power_status_t, mavlink_msg_power_status_decode,
           m.Vcc)
    DECODE(MAVLINK_MSG_ID_DISTANCE_SENSOR, mavlink_distance_sensor_t,
           mavlink_msg_distance_sensor_decode, m.current_distance)
    DECODE(MAVLINK_MSG_ID_BATTERY_STATUS, mavlink_battery_status_t,
           mavlink_msg_battery_status_decode, m.voltages[0] + m.current_consumed)
    DECODE(MAVLINK_MSG_ID_MEMINFO, mavlink_meminfo_t, mavlink_msg_meminfo_decode, m.freemem32)
    DECODE(MAVLINK_MSG_ID_AHRS, mavlink_ahrs_t, mavlink_msg_ahrs_decode,
           (int64_t)(m.error_yaw * 1e6f))
    DECODE(MAVLINK_MSG_ID_WIND, mavlink_wind_t, mavlink_msg_wind_decode, (int64_t)m.direction)
    DECODE(MAVLINK_MSG_ID_AHRS2, mavlink_ahrs2_t, mavlink_msg_ahrs2_decode, (int64_t)m.lat + m.lng)
    DECODE(MAVLINK_MSG_ID_EKF_STATUS_REPORT, mavlink_ekf_status_report_t,
           mavlink_msg_ekf_status_report_decode, m.flags)
    DECODE(MAVLINK_MSG_ID_VIBRATION, mavlink_vibration_t, mavlink_msg_vibration_decode,
           m.time_usec + m.clipping_2)
    DECODE(MAVLINK_MSG_ID_HOME_POSITION, mavlink_home_position_t,
           mavlink_msg_home_position_decode, (int64_t)m.latitude + m.longitude)
    DECODE(MAVLINK_MSG_ID_NAMED_VALUE_FLOAT, mavlink_named_value_float_t,
           mavlink_msg_named_value_float_decode, (uint8_t)m.name[0] + (int64_t)(m.value * 100.0f))
    DECODE(MAVLINK_MSG_ID_STATUSTEXT, mavlink_statustext_t, mavlink_msg_statustext_decode,
           m.severity + (uint8_t)m.text[0])
    DECODE(MAVLINK_MSG_ID_ESC_TELEMETRY_1_TO_4, mavlink_esc_telemetry_1_to_4_t,
           mavlink_msg_esc_telemetry_1_to_4_decode, m.rpm[0] + m.temperature[3])
    DECODE(MAVLINK_MSG_ID_ESC_TELEMETRY_5_TO_8, mavlink_esc_telemetry_5_to_8_t,
           mavlink_msg_esc_telemetry_5_to_8_decode, m.rpm[0] + m.temperature[3])
#undef DECODE
    default: {
        /* Any other message: copy the payload (already zero-filled by the parser up to the
         * message's maximum length) into a zeroed buffer, as a generic decoder would. */
        uint8_t buf[MAVLINK_MAX_PAYLOAD_LEN];
        const mavlink_msg_entry_t *e = mavlink_get_msg_entry(msg->msgid);
        uint8_t n = e ? e->max_msg_len : msg->len;
        memset(buf, 0, sizeof buf);
        memcpy(buf, _MAV_PAYLOAD(msg), n);
        return buf[0] + buf[n ? n - 1 : 0];
    }
    }
}

typedef struct {
    uint64_t bytes, frames, frames_v1, bad_crc, checksum;
} counters_t;

int main(int argc, char **argv) {
    const char *mode = NULL, *path = NULL;
    int decode = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--decode") == 0)
            decode = 1;
        else if (!mode)
            mode = argv[i];
        else if (!path)
            path = argv[i];
        else
            mode = NULL, i = argc; /* too many arguments */
    }
    int tlog = mode && strcmp(mode, "tlog") == 0;
    if (!mode || !path || (!tlog && strcmp(mode, "raw") != 0)) {
        fprintf(stderr, "usage: %s raw|tlog [--decode] FILE\n", argv[0]);
        return 2;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return 1;
    }
    uint8_t *chunk = malloc(CHUNK);
    if (!chunk) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    double wall0 = seconds(CLOCK_MONOTONIC);
    counters_t c = {0};
    mavlink_message_t msg;
    mavlink_status_t status;
    /* mavlink_parse_char sets the channel's parse_error to 1 exactly when the byte just fed
     * completed a frame with a bad CRC (it is reset on every other call), so adding it after each
     * byte counts bad-CRC frames without touching the parser. */
    const mavlink_status_t *chan = mavlink_get_channel_status(MAVLINK_COMM_0);
    size_t skip = tlog ? TLOG_TIMESTAMP_BYTES : 0; /* timestamp bytes still to skip (tlog) */

    for (;;) {
        ssize_t got = read(fd, chunk, CHUNK);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "%s: %s\n", path, strerror(errno));
            return 1;
        }
        if (got == 0)
            break;
        size_t n = (size_t)got, i = 0;
        c.bytes += n;
        while (i < n) {
            if (skip) { /* tlog: skip the (rest of the) timestamp, possibly across chunks */
                size_t k = n - i < skip ? n - i : skip;
                i += k;
                skip -= k;
                continue;
            }
            if (mavlink_parse_char(MAVLINK_COMM_0, chunk[i++], &msg, &status)) {
                c.frames++;
                c.frames_v1 += msg.magic == MAVLINK_STX_MAVLINK1;
                if (decode)
                    c.checksum += decode_message(&msg);
                else
                    c.checksum += msg.msgid;
                if (tlog)
                    skip = TLOG_TIMESTAMP_BYTES;
            }
            c.bad_crc += chan->parse_error;
        }
    }
    close(fd);
    free(chunk);

    double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
    double wall = seconds(CLOCK_MONOTONIC) - wall0;
    printf("{\"impl\":\"c\",\"mode\":\"%s\",\"decode\":%s,\"bytes\":%llu,\"frames\":%llu,"
           "\"frames_v1\":%llu,\"bad_crc\":%llu,\"cpu_s\":%.6f,\"wall_s\":%.6f,"
           "\"mb_per_s\":%.2f,\"frames_per_s\":%.0f,\"checksum\":%llu}\n",
           tlog ? "tlog" : "raw", decode ? "true" : "false", (unsigned long long)c.bytes,
           (unsigned long long)c.frames, (unsigned long long)c.frames_v1,
           (unsigned long long)c.bad_crc, cpu, wall, cpu > 0 ? c.bytes / cpu / 1e6 : 0.0,
           cpu > 0 ? c.frames / cpu : 0.0, (unsigned long long)c.checksum);
    return 0;
}
