"""What a leader roster adds to the rule set: keys, size and load time.

    python benchmarks/roster_scale.py [--people 105]

Builds the default rule set and the same with a generated city roster (bureau heads and
their deputies, the city's leaders: one post each), pickles both as the on-disk cache
does and loads each five times. A roster rule adds one matcher key per title and a
name table, so the figures should grow with the titles, not with titles × names.
"""

from __future__ import annotations

import argparse
import pickle
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌红波宇晨辉鹏飞峰志云龙海东亮林"
UNITS = ["发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
         "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局",
         "农业农村局", "商务局", "文化广电旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局",
         "市场监督管理局", "统计局", "医疗保障局", "信访局", "林业局", "城市管理局", "数据资源局", "体育局", "人防办"]
LEADERS = ["市委书记", "市长", "常务副市长", "市委副书记", "市人大常委会主任", "市政协主席", "市委秘书长", "市纪委书记"]


def city_roster(people: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    names: set[str] = set()

    def name() -> str:
        while True:
            n = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            if n not in names:
                names.add(n)
                return n

    titles = [f"市{u}{'主任' if u.endswith('会') or u.endswith('办') else '局长'}" for u in UNITS]
    titles += [t.replace("主任", "副主任").replace("局长", "副局长") for t in titles] + LEADERS
    lines = ['[[rules]]\ncode = "LOC101"\nkind = "roster"\ncategory = "political"\nseverity = "error"\n'
             'reason = "领导职务与姓名搭配错误"\nsource = "生成的名单"\n']
    for i in range(people):
        lines.append(f'[[rules.people]]\nname = "{name()}"\nposts = [{{ title = "{titles[i % len(titles)]}", '
                     f'from = 2022-01-01 }}]\n')
    return "\n".join(lines)


def measure(scanner) -> tuple[int, float, float]:
    blob = pickle.dumps(scanner, protocol=pickle.HIGHEST_PROTOCOL)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        pickle.loads(blob)
        times.append(time.perf_counter() - t)
    return len(scanner._matcher.keys), len(blob) / 1e6, statistics.median(times) * 1000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=105)
    args = ap.parse_args(argv)
    from cuomin import Scanner

    with tempfile.TemporaryDirectory() as d:
        pack = Path(d) / "city.toml"
        pack.write_text(city_roster(args.people), encoding="utf-8")
        rows = [("default packs", Scanner()), (f"+ city roster of {args.people} people", Scanner(extra_packs=[pack]))]
        print(f"{'rule set':34} {'keys':>7} {'pickle MB':>10} {'load ms':>8}")
        for label, scanner in rows:
            keys, mb, ms = measure(scanner)
            print(f"{label:34} {keys:7,} {mb:10.2f} {ms:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
