"""The master regular expression of the chat date grammar: one named alternative per kind of piece.

Scanning is leftmost-first; at one position the first listed alternative wins, so longer or more
specific forms come first. The text is already NFKC-folded and lower-cased (dates_lexicon).
"""

from __future__ import annotations

import re

from handlers.parsing.dates_lexicon import CITY_NAMES_EN, CITY_NAMES_ZH

CN = "[零〇一二两三四五六七八九十]"
CN_YEAR = "[〇零一二三四五六七八九]{4}"
NUM = rf"(?:\d{{1,2}}|{CN}{{1,3}})"
# A number must not be glued to another number, a Latin word, a decimal point, a code or a currency sign:
# this is what keeps 1503, 20261205, v2.3, A3, ¥5 and 16:9 out.
GUARD = r"(?<![0-9a-z.:/#¥$￥_+\-])"
EN_START = r"(?<![a-z])"
EN_END = r"(?![a-z])"
MERIDIEM = r"(?:am|pm|a\.m\.|p\.m\.)"
EN_NUM = (r"(?:\d+(?:\.\d+)?|half\s+an?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
          r"|twelve|fifteen|twenty|thirty|forty-five)")
EN_UNIT = (r"(?:(?:business|working|work)\s+days?|workdays?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?"
           r"|months?|years?|yrs?)")
MONTH_EN = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
            r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)")
WEEKDAY_EN = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|wed|thurs"
              r"|thur|thu|fri|sat|sun)")
YEAR_WORD = "(?:今年|明年|后年|去年|前年)"
MONTH_TAIL = "(?:初|中旬|上旬|下旬|中(?![国文心间方部层级标])|底|末)"  # 5月中国区 is not mid-May
# 下 after 一/两 is the verb particle (看一下周五), 上 after 马/早/晚 belongs to another word.
NEXT = "(?<![一两])下"
PREV = "(?<![马早晚一])上"

_ALTERNATIVES: list[tuple[str, str]] = [
    ("poison", rf"good\s+(?:morning|afternoon|evening|night)|{EN_START}last\s+(?:{WEEKDAY_EN}|week|month"
               rf"|year|quarter){EN_END}|早上好|上午好|中午好|下午好|晚上好|早安|晚安"),
    ("off_en", rf"{EN_START}(?:(?:in|within|after)\s+(?P<oe_n>{EN_NUM})\s+(?P<oe_u>{EN_UNIT})"
               rf"(?P<oe_half>\s+and\s+a\s+half)?(?:'s\s+time)?"
               rf"|(?P<oe_n2>{EN_NUM})\s+(?P<oe_u2>{EN_UNIT})\s+(?P<oe_dir>from\s+(?:now|today)|later|ago"
               rf"|after|hence)){EN_END}"),
    ("off_zh", rf"{GUARD}(?:(?P<oz_n>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)\s*个?\s*(?P<oz_h1>半)?"
               rf"|(?P<oz_h0>半)\s*个?)\s*(?P<oz_u>分钟|小时|钟头|工作日|天|日|周|星期|礼拜|月|年)"
               rf"(?P<oz_h2>半)?\s*(?P<oz_dir>以后|之后|过后|后|以前|之前|前)(?!天)"),
    ("iso", rf"{GUARD}(?P<iso_y>(?:19|20)\d\d)(?P<iso_sep>[-/.])(?P<iso_m>\d{{1,2}})(?P=iso_sep)"
            rf"(?P<iso_d>\d{{1,2}})(?![0-9]|[.][0-9])[日号]?"),
    ("ymd", rf"(?:{GUARD}(?P<ymd_y>\d{{4}}|{CN_YEAR})\s*年\s*|(?P<ymd_yw>{YEAR_WORD})\s*)?{GUARD}"
            rf"(?P<ymd_m>{NUM})\s*月\s*(?P<ymd_d>{NUM})\s*[日号]"),
    ("ymt", rf"(?:{GUARD}(?P<ymt_y>\d{{4}}|{CN_YEAR})\s*年\s*|(?P<ymt_yw>{YEAR_WORD})\s*)?{GUARD}"
            rf"(?P<ymt_m>{NUM})\s*月份?\s*(?P<ymt_t>{MONTH_TAIL})?"),
    ("relmonth", rf"(?P<rm_p>{NEXT}下个?月|{NEXT}个?月|这个?月|本月|当月|{PREV}上个?月|{PREV}个?月)\s*"
                 rf"(?:(?P<rm_d>{NUM})\s*[日号]|(?P<rm_t>{MONTH_TAIL}))?"),
    ("monthtail", rf"(?<![个0-9一二三四五六七八九十两])月(?P<mt_t>{MONTH_TAIL})"),
    ("xun", "(?P<xun_t>上旬|中旬|下旬)"),
    ("quarter", rf"(?:{GUARD}(?P<q_y>\d{{4}})\s*年?|(?P<q_yw>{YEAR_WORD}))\s*(?:q(?P<q_n>[1-4])"
                rf"|第?(?P<q_cn>[一二三四1-4])季度?)(?P<q_t>初|末|底)?"
                rf"|{EN_START}q(?P<q_n2>[1-4])\s+(?P<q_y2>\d{{4}})(?![0-9])"
                rf"|(?P<q_rel>{NEXT}下个?|{NEXT}个?|本|这个?|{PREV}上个?|{PREV}个?)季度(?P<q_t2>初|末|底)?"
                rf"|季度(?P<q_t3>末|底|初)|(?P<q_end>季末)"),
    ("year", rf"(?:{GUARD}(?P<yr_y>\d{{4}})\s*|(?P<yr_yw>{YEAR_WORD})\s*|(?<![个0-9一二三四五六七八九十两]))"
             rf"年(?P<yr_t>初|底|末)|(?P<yr_w>明年|后年|去年|前年)(?P<yr_t2>初|底|末)?"),
    ("period_en", rf"{EN_START}(?:(?P<pe_after>(?:the\s+)?week\s+after\s+next)"
                  rf"|next\s+(?P<pe_u>week|month|year|quarter)"
                  rf"|end\s+of\s+(?:the\s+)?(?P<pe_next>next\s+)?(?P<pe_end>month|year|quarter|week)"
                  rf"|(?P<pe_abbr>eom|eoy|eoq|eow)|(?P<pe_ye>year[-\s]?end)|(?P<pe_me>month[-\s]?end)"
                  rf"|(?:(?P<pe_we>this|next)\s+)?(?P<pe_weekend>weekend)){EN_END}"),
    ("weekday_zh", rf"(?P<wz_p>{NEXT}下个?|{NEXT}个?|{PREV}上个?|{PREV}个?|这个?|本|每个?)?"
                   rf"(?:周|星期|礼拜)(?P<wz_d>[一二三四五六日天末]|[1-7](?![0-9]))"
                   rf"|(?P<wz_bp>{NEXT}下个?|{NEXT}个?|{PREV}上个?|{PREV}个?)(?:周|星期|礼拜)"),
    ("weekday_en", rf"{EN_START}(?:(?P<we_p>this|next|coming|on|every)\s+)?(?P<we_d>{WEEKDAY_EN}){EN_END}\.?"),
    ("reldays", rf"(?P<rd_zh>大后天|后天|今天|今日|明天|明日|明儿个?|昨天|昨日|前天|今早|今晨|明早|明晨|今晚|明晚|昨晚)"
                rf"|{EN_START}(?P<rd_en>(?:the\s+)?day\s+after\s+tomorrow|today|tonight|tomorrow|tmrw|tmr"
                rf"|yesterday|this\s+(?:morning|afternoon|evening)){EN_END}"),
    ("eod", rf"下班(?:前|之前|以前)?|{EN_START}(?:eod|cob|end\s+of\s+(?:the\s+)?(?:business\s+)?day"
            rf"|close\s+of\s+business){EN_END}"),
    ("pod", rf"(?P<pod_zh>凌晨|清晨|早上|早晨|上午|中午|下午|傍晚|晚上|晚间|夜里|夜间|半夜|深夜)"
            rf"|{EN_START}(?P<pod_pre>in\s+the\s+|at\s+)?(?P<pod_en>morning|afternoon|evening|noon|midday"
            rf"|night){EN_END}"),
    ("clock_colon", rf"(?:{EN_START}(?:at|@)\s*)?{GUARD}(?P<cc_h>\d{{1,2}}):(?P<cc_m>\d{{2}})(?::\d{{2}})?"
                    rf"(?![0-9])(?:\s*(?P<cc_ap>{MERIDIEM}){EN_END})?"
                    rf"(?:\s*(?:-|–|~|到|至|to)\s*\d{{1,2}}(?::\d{{2}})?(?![0-9])(?:\s*{MERIDIEM})?)?"),
    ("clock_ampm", rf"(?:{EN_START}(?:at|@)\s*)?{GUARD}(?:(?P<ce_r>\d{{1,2}})\s*(?:-|–|~|to)\s*)?"
                   rf"(?P<ce_h>\d{{1,2}})(?:[.](?P<ce_m>\d{{2}}))?\s*(?P<ce_ap>{MERIDIEM}){EN_END}"),
    ("clock_at", rf"{EN_START}(?:at|@)\s*(?P<ca_h>\d{{1,2}})(?:\s*o'?clock)?(?![0-9a-z%.:])"
                 rf"|{GUARD}(?P<co_h>\d{{1,2}})\s*o'?clock"),
    ("clock_zh", rf"{GUARD}(?P<cz_h>{NUM})(?:\s*(?:-|~|到|至)\s*{NUM}(?=\s*[点时]))?\s*(?:点钟|点|时)"
                 rf"(?:(?P<cz_half>半)|(?P<cz_q>[一三])刻|整|(?P<cz_m>\d{{1,2}}|{CN}{{1,3}})(?![0-9])\s*分?)?"),
    ("tz", rf"(?P<tz_city>{'|'.join(CITY_NAMES_ZH)})时间"
           rf"|{EN_START}(?P<tz_encity>{'|'.join(CITY_NAMES_EN)})\s+time{EN_END}"
           rf"|{EN_START}(?P<tz_ab>utc|gmt|est|edt|mst|mdt|pst|pdt|jst|kst|sgt|hkt|cet|cest|bst|aest)"
           rf"(?:\s*(?P<tz_off>[+-]\s*\d{{1,2}}(?::?\d{{2}})?))?{EN_END}"),
    ("dom_zh", rf"{GUARD}(?P<dz_d>{NUM})\s*[号日]"),
    ("dom_en", rf"{EN_START}(?:(?P<de_p>on|by|before|until|till|due)\s+)?the\s+(?P<de_d>\d{{1,2}})"
               rf"(?:st|nd|rd|th){EN_END}(?:\s+of\s+(?P<de_mon>{MONTH_EN}){EN_END})?"),
    ("md", rf"{GUARD}(?P<md_m>\d{{1,2}})/(?P<md_d>\d{{1,2}})(?:/(?P<md_y>\d{{4}}))?(?![0-9]|/|%|[.][0-9])"),
    ("mdy_en", rf"{EN_START}(?:on\s+)?(?P<mde_mon>{MONTH_EN})\.?\s*(?P<mde_d>\d{{1,2}})(?:st|nd|rd|th)?(?![0-9:])"
               rf"(?:,?\s*(?P<mde_y>(?:19|20)\d\d)(?![0-9]))?"
               rf"|(?:{EN_START}on\s+)?{GUARD}(?P<dme_d>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?(?P<dme_mon>{MONTH_EN}){EN_END}\.?"
               rf"(?:,?\s*(?P<dme_y>(?:19|20)\d\d)(?![0-9]))?"),
]

MASTER = re.compile("|".join(f"(?P<{name}>{body})" for name, body in _ALTERNATIVES))
# Every character that can start an alternative above. Trying MASTER only where one of these stands keeps
# the scan cheap: most characters of a chat message start nothing (a char-class search runs in C).
_CITY_INITIALS = "".join(sorted({name[0] for name in CITY_NAMES_ZH}))
CANDIDATE_START = re.compile(
    rf"{GUARD}[0-9]|[零〇一二两三四五六七八九十百半今明后昨前大下上这本当每周星礼月年季早晚凌清中傍夜深去@{_CITY_INITIALS}]"
    r"|(?<![a-z])[a-z]")

# What may sit between two pieces of one expression: 明天 下午3点, Friday, 3pm, 12月5日(周五).
GAP = re.compile(r"[\s,、的@()\[\]]*")
# Joins the two ends of a range whose start is the value (R19).
RANGE_JOIN = re.compile(r"\s*(?:到|至|-|–|—|~|to|until|till|through|thru)\s*")
# Deadline markers (R16): part of the span, never of the value.
DEADLINE_AFTER = re.compile(r"\s*(?:之前|以前|前|为止)(?!天)")
DEADLINE_BEFORE = re.compile(r"(?:(?<![a-z])(?:by|before|due(?:\s+(?:by|on))?|until|till|no\s+later\s+than)"
                             r"|截止到?|截至)\s*$")
