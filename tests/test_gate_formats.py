"""Outputs for review tools: SARIF 2.1.0, rdjson (reviewdog), GitHub annotations; the
exit code is the same for every format and every gate option."""

import json

import jsonschema
import pytest
from click.testing import CliRunner

from cuomin.cli import main
from cuomin.render import CHECK_FORMATS
from cuomin.render.sarif import artifact_uri

from .conftest import DATE
from .test_gate_inputs import make_docx

ERROR_TEXT = "热烈庆祝中华人名共和国成立75周年\n"
WARNING_TEXT = "休息5、6天\n"
CLEAN_TEXT = "各单位要认真学习贯彻会议精神。\n"
DRAFT = "关于开展检查的通知\n　　县环保局己经按装了设备，定于2023年9月31日召开。\n"


def run(args, input=None):
    return CliRunner().invoke(main, ["check", "--isolated", "--date", DATE.isoformat(), *args], input=input)


# ------------------------------------------------------------------ SARIF schema
# The part of the OASIS SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that cuomin's
# output uses, with the same property names, required properties, enums and bounds;
# "additionalProperties": false as in the real schema, so a misspelt or invented
# property fails. Property bags ("properties") are free-form there and here.
_OBJ = {"type": "object", "additionalProperties": False}
_MESSAGE = {**_OBJ, "properties": {"text": {"type": "string"}, "markdown": {"type": "string"}, "id": {"type": "string"},
                                   "arguments": {"type": "array"}, "properties": {"type": "object"}},
            "anyOf": [{"required": ["text"]}, {"required": ["id"]}]}
_MMS = {**_OBJ, "required": ["text"], "properties": {"text": {"type": "string"}, "markdown": {"type": "string"},
                                                      "properties": {"type": "object"}}}
_POS = {"type": "integer", "minimum": 1}
_REGION = {**_OBJ, "properties": {
    "startLine": _POS, "startColumn": _POS, "endLine": _POS, "endColumn": _POS,
    "charOffset": {"type": "integer", "minimum": -1}, "charLength": {"type": "integer", "minimum": 0},
    "byteOffset": {"type": "integer", "minimum": -1}, "byteLength": {"type": "integer", "minimum": 0},
    "snippet": {**_OBJ, "properties": {"text": {"type": "string"}, "binary": {"type": "string"},
                                       "properties": {"type": "object"}}},
    "message": {"$ref": "#/definitions/message"}, "sourceLanguage": {"type": "string"},
    "properties": {"type": "object"}}}
_ARTIFACT_LOCATION = {**_OBJ, "properties": {
    "uri": {"type": "string", "format": "uri-reference"}, "uriBaseId": {"type": "string"},
    "index": {"type": "integer", "minimum": -1}, "description": {"$ref": "#/definitions/message"},
    "properties": {"type": "object"}}}
SARIF_SUBSET = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "definitions": {
        "message": _MESSAGE,
        "multiformatMessageString": _MMS,
        "region": _REGION,
        "artifactLocation": _ARTIFACT_LOCATION,
        "physicalLocation": {**_OBJ, "properties": {
            "address": {"type": "object"}, "artifactLocation": {"$ref": "#/definitions/artifactLocation"},
            "region": {"$ref": "#/definitions/region"}, "contextRegion": {"$ref": "#/definitions/region"},
            "properties": {"type": "object"}}},
        "location": {**_OBJ, "properties": {
            "id": {"type": "integer", "minimum": -1}, "physicalLocation": {"$ref": "#/definitions/physicalLocation"},
            "logicalLocations": {"type": "array"}, "message": {"$ref": "#/definitions/message"},
            "annotations": {"type": "array"}, "relationships": {"type": "array"}, "properties": {"type": "object"}}},
        "replacement": {**_OBJ, "required": ["deletedRegion"], "properties": {
            "deletedRegion": {"$ref": "#/definitions/region"},
            "insertedContent": {**_OBJ, "properties": {"text": {"type": "string"}, "binary": {"type": "string"},
                                                       "properties": {"type": "object"}}},
            "properties": {"type": "object"}}},
        "artifactChange": {**_OBJ, "required": ["artifactLocation", "replacements"], "properties": {
            "artifactLocation": {"$ref": "#/definitions/artifactLocation"},
            "replacements": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/replacement"}},
            "properties": {"type": "object"}}},
        "fix": {**_OBJ, "required": ["artifactChanges"], "properties": {
            "description": {"$ref": "#/definitions/message"},
            "artifactChanges": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/artifactChange"}},
            "properties": {"type": "object"}}},
        "suppression": {**_OBJ, "required": ["kind"], "properties": {
            "guid": {"type": "string"}, "kind": {"enum": ["inSource", "external"]},
            "status": {"enum": ["accepted", "underReview", "rejected"]}, "justification": {"type": "string"},
            "location": {"$ref": "#/definitions/location"}, "properties": {"type": "object"}}},
        "result": {**_OBJ, "required": ["message"], "properties": {
            "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": -1},
            "rule": {"type": "object"},
            "kind": {"enum": ["notApplicable", "pass", "fail", "review", "open", "informational"]},
            "level": {"enum": ["none", "note", "warning", "error"]},
            "message": {"$ref": "#/definitions/message"},
            "locations": {"type": "array", "items": {"$ref": "#/definitions/location"}},
            "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
            "fingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
            "suppressions": {"type": "array", "uniqueItems": True, "items": {"$ref": "#/definitions/suppression"}},
            "fixes": {"type": "array", "uniqueItems": True, "items": {"$ref": "#/definitions/fix"}},
            "relatedLocations": {"type": "array"}, "guid": {"type": "string"}, "rank": {"type": "number"},
            "baselineState": {"enum": ["new", "unchanged", "updated", "absent"]},
            "properties": {"type": "object"}}},
        "reportingConfiguration": {**_OBJ, "properties": {
            "enabled": {"type": "boolean"}, "level": {"enum": ["none", "note", "warning", "error"]},
            "rank": {"type": "number"}, "parameters": {"type": "object"}, "properties": {"type": "object"}}},
        "reportingDescriptor": {**_OBJ, "required": ["id"], "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}, "guid": {"type": "string"},
            "shortDescription": {"$ref": "#/definitions/multiformatMessageString"},
            "fullDescription": {"$ref": "#/definitions/multiformatMessageString"},
            "help": {"$ref": "#/definitions/multiformatMessageString"}, "helpUri": {"type": "string", "format": "uri"},
            "messageStrings": {"type": "object"},
            "defaultConfiguration": {"$ref": "#/definitions/reportingConfiguration"},
            "properties": {"type": "object"}}},
        "toolComponent": {**_OBJ, "required": ["name"], "properties": {
            "name": {"type": "string"}, "version": {"type": "string"}, "semanticVersion": {"type": "string"},
            "fullName": {"type": "string"}, "organization": {"type": "string"}, "informationUri": {"type": "string"},
            "rules": {"type": "array", "uniqueItems": True, "items": {"$ref": "#/definitions/reportingDescriptor"}},
            "properties": {"type": "object"}}},
        "notification": {**_OBJ, "required": ["message"], "properties": {
            "locations": {"type": "array", "items": {"$ref": "#/definitions/location"}},
            "message": {"$ref": "#/definitions/message"}, "level": {"enum": ["none", "note", "warning", "error"]},
            "properties": {"type": "object"}}},
        "invocation": {**_OBJ, "required": ["executionSuccessful"], "properties": {
            "executionSuccessful": {"type": "boolean"}, "exitCode": {"type": "integer"},
            "toolExecutionNotifications": {"type": "array", "items": {"$ref": "#/definitions/notification"}},
            "properties": {"type": "object"}}},
        "artifact": {**_OBJ, "properties": {
            "location": {"$ref": "#/definitions/artifactLocation"},
            "hashes": {"type": "object", "additionalProperties": {"type": "string"}},
            "length": {"type": "integer", "minimum": -1}, "mimeType": {"type": "string"},
            "properties": {"type": "object"}}},
        "run": {**_OBJ, "required": ["tool"], "properties": {
            "tool": {**_OBJ, "required": ["driver"], "properties": {
                "driver": {"$ref": "#/definitions/toolComponent"}, "extensions": {"type": "array"},
                "properties": {"type": "object"}}},
            "invocations": {"type": "array", "items": {"$ref": "#/definitions/invocation"}},
            "artifacts": {"type": "array", "uniqueItems": True, "items": {"$ref": "#/definitions/artifact"}},
            "results": {"type": "array", "items": {"$ref": "#/definitions/result"}},
            "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
            "originalUriBaseIds": {"type": "object"},
            "properties": {"type": "object"}}},
    },
    **_OBJ,
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "runs": {"type": ["array", "null"], "items": {"$ref": "#/definitions/run"}},
        "properties": {"type": "object"},
    },
}


def validate_sarif(log: dict) -> None:
    jsonschema.Draft7Validator.check_schema(SARIF_SUBSET)
    jsonschema.Draft7Validator(SARIF_SUBSET).validate(log)
    # what the schema cannot say: indexes point at real entries, regions are ordered
    (run_,) = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    for res in run_["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        phys = res["locations"][0]["physicalLocation"]
        art = run_["artifacts"][phys["artifactLocation"]["index"]]
        assert art["location"]["uri"] == phys["artifactLocation"]["uri"]
        reg = phys["region"]
        assert (reg["startLine"], reg["startColumn"]) <= (reg["endLine"], reg["endColumn"])


@pytest.fixture
def drafts(tmp_path):
    txt = tmp_path / "draft.txt"
    txt.write_text(DRAFT, encoding="utf-8")
    md = tmp_path / "草稿.md"
    md.write_text("# 标题\n\n中华人名共和国\n\n<!-- cuomin-disable -->\n己经\n", encoding="utf-8")
    html = tmp_path / "page.html"
    html.write_text("<html><body>\n<p>热烈庆祝中华人\n名共和国成立</p>\n<p>县环保局</p></body></html>\n", encoding="utf-8")
    return {"txt": txt, "md": md, "html": html, "docx": make_docx(tmp_path / "draft.docx")}


def test_sarif_is_valid_2_1_0_with_fixes_and_regions(drafts):
    r = run(["--format", "sarif", *map(str, drafts.values()), str(drafts["txt"].parent / "missing.txt")])
    assert r.exit_code == 2
    log = json.loads(r.stdout)
    validate_sarif(log)
    (run_,) = log["runs"]
    assert run_["tool"]["driver"]["name"] == "cuomin"
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["invocations"][0]["executionSuccessful"] is False
    assert run_["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].endswith("missing.txt: no such file")
    by_rule = {}
    for res in run_["results"]:
        by_rule.setdefault((res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], res["ruleId"]), res)
    txt_uri = artifact_uri(str(drafts["txt"]))
    assert txt_uri.startswith("file:///")
    typo = by_rule[(txt_uri, "TYP001")]
    assert typo["level"] == "error"
    assert typo["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 9, "snippet": {"text": "己经"}}
    (fix,) = typo["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 9},
        "insertedContent": {"text": "已经"}}]
    date = by_rule[(txt_uri, "NUM002")]
    assert date["level"] == "warning" and "fixes" not in date  # no suggestion: nothing to apply
    # HTML: regions in the HTML source; a word broken over lines has no exact fix
    html_uri = artifact_uri(str(drafts["html"]))
    pol = by_rule[(html_uri, "POL001")]
    assert pol["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 8, "endLine": 3, "endColumn": 5}
    assert "fixes" not in pol
    assert by_rule[(html_uri, "OUT002")]["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"] == {
        "startLine": 4, "startColumn": 5, "endLine": 4, "endColumn": 8}
    # DOCX: paragraph as the line, named in the location's message; never a fix
    docx_res = by_rule[(artifact_uri(str(drafts["docx"])), "PRI002")]
    assert docx_res["locations"][0]["message"]["text"] == "表格1第2行第2列，第8段"
    assert "fixes" not in docx_res
    # the suppressed Markdown finding is there, marked as suppressed in the source
    md_results = [x for x in run_["results"] if x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".md")]
    assert [("suppressions" in x) for x in md_results] == [False, True]
    assert "%E8%8D%89%E7%A8%BF.md" in md_results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    hashes = {a["location"]["uri"]: a["hashes"]["sha-256"] for a in run_["artifacts"]}
    assert len(hashes[txt_uri]) == 64


def test_sarif_relative_paths_and_clean_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(CLEAN_TEXT, encoding="utf-8")
    r = run(["--format", "sarif", "sub/a.txt"])
    assert r.exit_code == 0
    log = json.loads(r.stdout)
    validate_sarif(log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["artifacts"][0]["location"]["uri"] == "sub/a.txt"


def test_schema_subset_rejects_broken_sarif():
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "cuomin"}},
                                          "results": [{"ruleId": "X", "level": "fatal", "message": {"text": "m"}}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SARIF_SUBSET).validate(bad)
    bad["runs"][0]["results"][0]["level"] = "error"
    bad["runs"][0]["results"][0]["locations"] = [{"physicalLocation": {"region": {"startLine": 0}}}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SARIF_SUBSET).validate(bad)


# ------------------------------------------------------------------ rdjson / github
def test_rdjson_columns_are_utf8_bytes(drafts):
    r = run(["--format", "rdjson", str(drafts["txt"])])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["source"] == {"name": "cuomin"}
    first = {}
    for d in doc["diagnostics"]:
        first.setdefault(d["code"]["value"], d)
    typo = first["TYP001"]
    # line 2 is "　　县环保局己经…": 己 is the 7th character, after 6 three-byte characters
    assert typo["location"] == {"path": str(drafts["txt"]),
                                "range": {"start": {"line": 2, "column": 19}, "end": {"line": 2, "column": 25}}}
    assert typo["severity"] == "ERROR"
    assert typo["suggestions"] == [{"range": typo["location"]["range"], "text": "已经"}]
    assert "suggestions" not in first["NUM002"]


def test_github_annotations(drafts, tmp_path):
    odd = tmp_path / "a,b:c.txt"
    odd.write_text("第一行\n休息5、6天\n", encoding="utf-8")
    r = run(["--format", "github", str(drafts["txt"]), str(odd), str(tmp_path / "nope.txt")])
    assert r.exit_code == 2
    lines = r.stdout.splitlines()
    assert lines[0] == (f"::warning file={drafts['txt']},line=2,col=4,endLine=2,endColumn=7,title=cuomin OUT002::"
                        "地方机构已在2018—2019年机构改革中撤并或更名：“环保局” → 生态环境局")
    assert any(x.startswith("::error file=") and "title=cuomin TYP001::常见错别字：“己经” → 已经" in x for x in lines)
    escaped = str(odd).replace(",", "%2C").replace(":", "%3A")
    assert f"::warning file={escaped},line=2,col=3," in r.stdout
    assert any(x.startswith("::error file=") and "nope.txt: no such file" in x for x in lines)
    assert lines[-1].startswith("共发现 ")


def test_github_info_is_notice(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("笔划\n", encoding="utf-8")
    r = run(["--format", "github", "--fail-on", "info", str(p)])
    assert r.stdout.startswith("::notice file=") and r.exit_code == 1


# ------------------------------------------------------------------ exit codes
@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_exit_codes_are_identical_for_every_format(tmp_path, fmt):
    files = {}
    for name, text in [("error.txt", ERROR_TEXT), ("warning.md", WARNING_TEXT), ("clean.html", f"<p>{CLEAN_TEXT}</p>")]:
        files[name] = str(tmp_path / name)
        (tmp_path / name).write_text(text, encoding="utf-8")
    base = ["--format", fmt]
    assert run(base + [files["clean.html"]]).exit_code == 0
    assert run(base + [files["error.txt"]]).exit_code == 1
    assert run(base + [files["warning.md"]]).exit_code == 0
    assert run(base + ["--fail-on", "warning", files["warning.md"]]).exit_code == 1
    assert run(base + ["--fail-on", "never", files["error.txt"]]).exit_code == 0
    assert run(base + [files["error.txt"], str(tmp_path / "missing.txt")]).exit_code == 2
    assert run(base + ["--select", "nosuchcategory", files["clean.html"]]).exit_code == 2
    assert run(base + [str(tmp_path)]).exit_code == 1  # the directory, walked
    record = tmp_path / "record.md"
    assert run(base + ["--record", str(record), files["error.txt"]]).exit_code == 1
    assert record.exists()
    # --fix --write removes the error and leaves the warning (a date that does not
    # exist has no fix)
    fixed = tmp_path / "fixme.txt"
    fixed.write_text(ERROR_TEXT + "定于2023年9月31日召开\n", encoding="utf-8")
    assert run(base + ["--fix", "--write", "--fail-on", "warning", str(fixed)]).exit_code == 1
    assert run(base + [str(fixed)]).exit_code == 0


def test_docs_show_real_output(monkeypatch):
    """docs/cli-check.md pastes real runs in examples/gate; this one must still be true."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(root / "examples" / "gate")
    r = CliRunner().invoke(main, ["check", "--format", "github", "草稿.docx"])
    assert r.exit_code == 1
    assert f"$ cuomin check --format github 草稿.docx\n{r.stdout}[exit 1]\n" in (root / "docs" / "cli-check.md").read_text(
        encoding="utf-8"
    )
