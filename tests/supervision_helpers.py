"""Test data for the supervision tests: a bulletin of 32 accounts and posts that
reproduce it when scanned."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
BULLETIN = FIXTURES / "bulletin"

#: (wrong sentence fragment, corrected fragment): each gives exactly one counted finding
ERRORS = [
    ("会议要求精心布署", "会议要求精心部署"),
    ("希望大家再接再励", "希望大家再接再厉"),
    ("检查天燃气管道", "检查天然气管道"),
    ("一如继往地支持", "一如既往地支持"),
    ("坚定四个自心", "坚定四个自信"),
    ("县人民攻府办公室", "县人民政府办公室"),
    ("受到市民亲睐", "受到市民青睐"),
    ("不能按步就班", "不能按部就班"),
]
FILLER = "近日，{owner}组织开展专项工作，{error}，确保各项任务落到实处。"


def bulletin_accounts() -> list[dict]:
    with open(BULLETIN / "accounts.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        {"account": r["账号名称"], "owner": r["开设主体"], "account_type": r["账号类型"],
         "errors": int(r["错敏信息数量"]), "status": r["整改情况"]}
        for r in rows
    ]


def bulletin_posts(fixed: bool = False) -> list[dict]:
    """Posts for every account: ``errors`` findings spread over posts of at most two
    errors each, a clean post, an advisory-only post (info, not counted) and one post
    from before the data window. ``fixed``: the accounts the bulletin lists as 已整改
    have every error fixed, the others all but one."""
    posts = []
    k = 0
    for n, acc in enumerate(bulletin_accounts()):
        base = {"account": acc["account"], "owner": acc["owner"], "account_type": acc["account_type"]}
        left = acc["errors"]
        keep_open = 0 if acc["status"] == "已整改" else 1
        i = 0
        while left:
            parts = []
            for _ in range(min(2, left)):
                wrong, right = ERRORS[k % len(ERRORS)]
                k += 1
                # when fixing, leave the first ``keep_open`` errors of the account as they are
                parts.append(right if fixed and (acc["errors"] - left) >= keep_open else wrong)
                left -= 1
            text = "".join(FILLER.format(owner=acc["owner"], error=p) for p in parts)
            posts.append({**base, "id": f"a{n:02d}-p{i}", "title": f"{acc['owner']}工作动态（{i + 1}）",
                          "text": text, "published_at": f"2023-{7 + i % 3:02d}-{10 + i:02d}"})
            i += 1
        posts.append({**base, "id": f"a{n:02d}-clean", "title": "工作简讯", "published_at": "2023-08-01",
                      "text": f"{acc['owner']}召开季度工作会议，部署下一阶段重点任务。"})
        posts.append({**base, "id": f"a{n:02d}-info", "title": "书法展", "published_at": "2023-08-02",
                      "text": "展览介绍了汉字笔划的演变。"})
        posts.append({**base, "id": f"a{n:02d}-old", "title": "往期", "published_at": "2023-06-20",
                      "text": "上季度的通报：精心布署。"})
    random.Random(4).shuffle(posts)
    return posts


def write_jsonl(posts: list[dict], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for p in posts:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    return path
