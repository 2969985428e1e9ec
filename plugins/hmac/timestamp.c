/* SPDX-License-Identifier: MIT */
/* Timestamps in seconds, milliseconds or ISO 8601, read and written. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hmac.h"

const char *timestamp_unit_name(enum timestamp_unit unit)
{
    switch (unit) {
    case UNIT_SECONDS:
        return "seconds";
    case UNIT_MILLISECONDS:
        return "milliseconds";
    case UNIT_ISO8601:
        break;
    }
    return "ISO 8601";
}

/* Reads exactly count digits at *at; returns -1 when they are not. */
static int digits(const char **at, const char *end, int count)
{
    int value = 0;

    for (int i = 0; i < count; i++, (*at)++) {
        if (*at >= end || **at < '0' || **at > '9')
            return -1;
        value = value * 10 + (**at - '0');
    }
    return value;
}

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Reads "Z", "+HH:MM", "-HHMM" or nothing (UTC) into *offset seconds. */
static int zone(const char *at, const char *end, int64_t *offset)
{
    int sign, hours, minutes;

    *offset = 0;
    if (at == end || (at + 1 == end && (*at == 'Z' || *at == 'z')))
        return 1;
    if (*at != '+' && *at != '-')
        return 0;
    sign = *at++ == '-' ? -1 : 1;
    hours = digits(&at, end, 2);
    if (at < end && *at == ':')
        at++;
    minutes = digits(&at, end, 2);
    if (hours < 0 || minutes < 0 || at != end || hours > 23 || minutes > 59)
        return 0;
    *offset = sign * (hours * 3600 + minutes * 60);
    return 1;
}

/* Parses "YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM]". */
static int parse_iso8601(const char *text, size_t len, int64_t *seconds)
{
    const char *at = text, *end = text + len;
    int year, month, day, hour, minute, second;
    int64_t offset;

    year = digits(&at, end, 4);
    if (year < 0 || at >= end || *at++ != '-')
        return 0;
    month = digits(&at, end, 2);
    if (month < 1 || month > 12 || at >= end || *at++ != '-')
        return 0;
    day = digits(&at, end, 2);
    if (day < 1 || day > 31 || at >= end ||
        (*at != 'T' && *at != 't' && *at != ' '))
        return 0;
    at++;
    hour = digits(&at, end, 2);
    if (hour < 0 || hour > 23 || at >= end || *at++ != ':')
        return 0;
    minute = digits(&at, end, 2);
    if (minute < 0 || minute > 59 || at >= end || *at++ != ':')
        return 0;
    second = digits(&at, end, 2);
    if (second < 0 || second > 60)
        return 0;
    if (at < end && (*at == '.' || *at == ',')) {
        at++;
        if (at >= end || *at < '0' || *at > '9')
            return 0;
        while (at < end && *at >= '0' && *at <= '9')
            at++;
    }
    if (!zone(at, end, &offset))
        return 0;
    *seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 +
               minute * 60 + second - offset;
    return 1;
}

int timestamp_parse(enum timestamp_unit unit, const char *text, size_t len,
                    int64_t *seconds, char *reason, size_t size)
{
    int64_t value;

    if (unit == UNIT_ISO8601) {
        if (parse_iso8601(text, len, seconds))
            return 1;
        snprintf(reason, size,
                 "is not an ISO 8601 date and time such as "
                 "2024-08-14T10:15:32Z");
        return 0;
    }
    if (!whk_parse_int64(text, len, &value) || value < 0) {
        snprintf(reason, size, "is not a whole number of %s",
                 timestamp_unit_name(unit));
        return 0;
    }
    *seconds = unit == UNIT_MILLISECONDS ? value / 1000 : value;
    return 1;
}

void timestamp_format(enum timestamp_unit unit, int64_t seconds, char *out,
                      size_t size)
{
    time_t when = (time_t)seconds;
    struct tm tm;

    switch (unit) {
    case UNIT_SECONDS:
        snprintf(out, size, "%lld", (long long)seconds);
        return;
    case UNIT_MILLISECONDS:
        snprintf(out, size, "%lld", (long long)seconds * 1000);
        return;
    case UNIT_ISO8601:
        break;
    }
    if (gmtime_r(&when, &tm) == NULL ||
        strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, size, "1970-01-01T00:00:00Z");
}
