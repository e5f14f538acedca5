import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDate } from './dates.js';

const cases: [id: string, input: string, expected: string | undefined][] = [
  ['P-D01 RFC 822 with GMT', 'Fri, 20 Oct 2023 11:51:00 GMT', '2023-10-20T11:51:00.000Z'],
  ['P-D02 RFC 822 with numeric zone', 'Fri, 20 Oct 2023 11:51:00 +0800', '2023-10-20T03:51:00.000Z'],
  ['P-D03 RFC 822 with negative numeric zone', 'Fri, 20 Oct 2023 11:51:00 -0430', '2023-10-20T16:21:00.000Z'],
  ['P-D04 RFC 822 with EST zone', 'Wed, 17 Jan 2018 15:50:00 EST', '2018-01-17T20:50:00.000Z'],
  ['P-D05 RFC 822 with PST zone', 'Wed, 17 Jan 2018 15:50:00 PST', '2018-01-17T23:50:00.000Z'],
  ['P-D06 RFC 822 with CST is US Central', 'Wed, 17 Jan 2018 15:50:00 CST', '2018-01-17T21:50:00.000Z'],
  ['P-D07 RFC822 with EDT zone', 'Sat, 21 Oct 2023 08:00:00 EDT', '2023-10-21T12:00:00.000Z'],
  ['P-D08 RFC 822 without seconds', 'Sat, 21 Oct 2023 08:00 GMT', '2023-10-21T08:00:00.000Z'],
  ['P-D09 RFC 822 without weekday', '21 Oct 2023 08:00:00 +0000', '2023-10-21T08:00:00.000Z'],
  ['P-D10 wrong weekday is ignored', 'Mon, 21 Oct 2023 08:00:00 GMT', '2023-10-21T08:00:00.000Z'],
  ['P-D11 two-digit year 23', 'Sat, 21 Oct 23 08:00:00 GMT', '2023-10-21T08:00:00.000Z'],
  ['P-D12 two-digit year 99', 'Thu, 21 Oct 99 08:00:00 GMT', '1999-10-21T08:00:00.000Z'],
  ['P-D13 extra spaces', '  Sat,  21   Oct  2023   08:00:00   GMT ', '2023-10-21T08:00:00.000Z'],
  ['P-D14 RFC 822 without zone means UTC', 'Sat, 21 Oct 2023 08:00:00', '2023-10-21T08:00:00.000Z'],
  ['P-D15 full month name', 'Saturday, 21 October 2023 08:00:00 GMT', '2023-10-21T08:00:00.000Z'],
  ['P-D16 ISO 8601 with Z', '2023-10-20T11:51:00Z', '2023-10-20T11:51:00.000Z'],
  ['P-D17 ISO 8601 with fraction and offset', '2023-10-20T11:51:00.250+08:00', '2023-10-20T03:51:00.250Z'],
  ['P-D18 ISO 8601 without seconds', '2023-10-20T11:51+08:00', '2023-10-20T03:51:00.000Z'],
  ['P-D19 ISO 8601 with ±hhmm', '2023-10-20T11:51:00-0500', '2023-10-20T16:51:00.000Z'],
  ['P-D20 ISO 8601 date only', '2023-10-20', '2023-10-20T00:00:00.000Z'],
  ['P-D21 ISO 8601 without zone means UTC', '2023-10-20T11:51:00', '2023-10-20T11:51:00.000Z'],
  ['P-D22 SQL-style date time', '2023-10-20 11:51:00', '2023-10-20T11:51:00.000Z'],
  ['P-D23 Chinese form means +08:00', '2023年10月20日 11:51', '2023-10-20T03:51:00.000Z'],
  ['P-D24 Chinese date only', '2023年10月20日', '2023-10-19T16:00:00.000Z'],
  ['P-D25 Chinese form with seconds', '2023年10月20日 11:51:30', '2023-10-20T03:51:30.000Z'],
  ['P-D26 slash form (Dvbbs)', '2020/1/10 14:33:00', '2020-01-10T14:33:00.000Z'],
  ['P-D27 JavaScript Date.toString form', 'Fri Oct 20 2023 11:51:00 GMT+0800 (China Standard Time)', '2023-10-20T03:51:00.000Z'],
  ['P-D28 month first with comma', 'October 20, 2023', '2023-10-20T00:00:00.000Z'],
  ['P-D29 zone -0000', 'Tue, 21 Jul 2020 03:08:26 -0000', '2020-07-21T03:08:26.000Z'],
  ['P-D30 compact ISO basic format', '20231020T115100Z', '2023-10-20T11:51:00.000Z'],
  ['P-D34 asctime', 'Sun Jan  4 16:29:06 2004', '2004-01-04T16:29:06.000Z'],
  ['P-D35 asctime with zone before the year', 'Sun Jan 4 16:29:06 PST 2004', '2004-01-05T00:29:06.000Z'],
  ['P-D36 W3C-DTF year only', '2003', '2003-01-01T00:00:00.000Z'],
  ['P-D37 W3C-DTF year and month', '2003-12', '2003-12-01T00:00:00.000Z'],
  ['P-D38 weekday before a slash date (Perforce)', 'Fri, 2006/09/15 08:19:53 EDT', '2006-09-15T12:19:53.000Z'],
  ['P-D39 MSSQL fraction without zone', '2004-07-08 23:56:58.7', '2004-07-08T23:56:58.700Z'],
  ['P-D40 Korean OnBlog form means KST', '2004년 05월 28일  01:31:15', '2004-05-27T16:31:15.000Z'],
  ['P-D41 Korean Nate form with 오후 (PM)', '2004-05-25 오후 11:23:17', '2004-05-25T14:23:17.000Z'],
  ['P-D42 Greek RFC 822', 'Κυρ, 11 Ιούλ 2004 12:00:00 EEST', '2004-07-11T09:00:00.000Z'],
  ['P-D43 Hungarian month name', '2004-július-13T9:15-05:00', '2004-07-13T14:15:00.000Z'],
  ['P-D44 Portuguese RFC 822 (UOL)', 'Seg, 24 Set 2018 19:42:40 -0300', '2018-09-24T22:42:40.000Z'],
  ['P-D45 German RFC 822', 'Di, 03 Dez 2019 10:00:00 +0100', '2019-12-03T09:00:00.000Z'],
  ['P-D46 a day the month does not have', 'Thu, 31 Jun 2004 19:48:21 GMT', undefined],
  ['P-D47 29 February in a leap year', '2004-02-29T00:00:00Z', '2004-02-29T00:00:00.000Z'],
  ['P-D48 24:00 is the end of the day', '2004-02-28T24:00:00Z', '2004-02-29T00:00:00.000Z'],
  ['P-D31 not a date', 'yesterday', undefined],
  ['P-D32 impossible month', '2023-13-01', undefined],
  ['P-D33 empty', '   ', undefined],
];

for (const [id, input, expected] of cases) {
  test(id, () => {
    const actual = parseDate(input);
    assert.equal(actual === undefined ? undefined : new Date(actual).toISOString(), expected);
  });
}
