#!/usr/bin/env python3
"""The documents' examples for test/ns/t_examples.sh: extracted, and the
shape of their output compared with a real run's.

  examples.py list TOP          one JSON object per example of README.md
                                (every fenced block) and of the EXAMPLES
                                sections of man/*.1, *.5, *.8 (every .EX
                                block): doc, line, key (its first command,
                                or its first line when it has no prompt),
                                steps (host label, command) and the output
                                lines the document shows
  examples.py compare JSON OUT  every output shape the document shows is
                                among OUT's, in any order (several hosts
                                print at once); exit 1 naming the first
                                one missing; JSON is one object of `list`
  examples.py shapes FILE       the shape of each line of FILE

A line starting with a prompt is a command: "$ " or "# " (the example's
main host), or "NAME$ " (host NAME: rx, tx, rx-a ...).  The other lines
of the block are what the document says the user will see, except after
"$ cat FILE", where they are FILE's contents (written before the block
runs; there only a "$ " or "NAME$ " line ends the file, so that its
"# " comments stay comments).  A shape is what does not vary between runs: a table's header line
as it is, a JSON object's keys (its own and those of the first object of
each array in it), a line that is only a number (an exit status) as it is,
and otherwise the first word with every run of digits as 9.
"""
import json
import re
import sys

PROMPT = re.compile(r"^(?:([a-z][a-z0-9-]*)?([$#]) )(.*)$")


def roff_text(line):
    """A line of an .EX block as the reader sees it."""
    for a, b in (("\\-", "-"), ("\\(aq", "'"), ("\\(dq", '"'), ("\\e", "\\"),
                 ("\\(em", "--"), ("\\~", " "), ("\\&", "")):
        line = line.replace(a, b)
    return line


def blocks_readme(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\S*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        start, lang, body = i + 1, m.group(1), []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1
        yield start, lang, body


def blocks_man(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    in_examples = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(".SH "):
            in_examples = line.strip() == ".SH EXAMPLES"
        if in_examples and line.strip() == ".EX":
            start, body = i + 1, []
            i += 1
            while i < len(lines) and lines[i].strip() != ".EE":
                body.append(roff_text(lines[i]))
                i += 1
            yield start, "", body
        i += 1


def parse_block(doc, start, lang, body):
    steps, out, files = [], [], {}
    cat = None
    for line in body:
        m = PROMPT.match(line)
        if m and cat is not None and m.group(2) == "#" and not m.group(1):
            m = None  # a comment in the file, not a root prompt
        if m:
            host, cmd = m.group(1) or m.group(2), m.group(3)
            cm = re.match(r"^cat (\S+)$", cmd)
            cat = cm.group(1) if cm else None
            if cat:
                files[cat] = []
            steps.append([host, cmd])
        elif cat is not None:
            files[cat].append(line)
        else:
            out.append(line)
    if steps:
        key = steps[0][1]
    else:
        key = next((l for l in body if l.strip()), "")
    return {"doc": doc, "line": start, "lang": lang, "key": key.strip(),
            "steps": steps, "out": out,
            "files": {k: "\n".join(v).rstrip("\n") + "\n"
                      for k, v in files.items()}}


def examples(top):
    import glob
    import os
    res = [parse_block("README.md", s, l, b)
           for s, l, b in blocks_readme(os.path.join(top, "README.md"))]
    for page in sorted(glob.glob(os.path.join(top, "man", "*.[158]"))):
        name = os.path.relpath(page, top)
        res += [parse_block(name, s, l, b) for s, l, b in blocks_man(page)]
    return res


HEADER_WORD = re.compile(r"^[A-Z][A-Z0-9%_/]*$")


def json_keys(obj):
    keys = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            keys.append(k)
            if isinstance(v, list) and v and isinstance(v[0], dict):
                keys += [k + "." + kk for kk in v[0]]
    return keys


def shape(line):
    s = line.rstrip()
    t = s.strip()
    if not t or t in ("...", "\u2026"):
        return None
    if t.startswith("{"):
        try:
            return "json " + ",".join(json_keys(json.loads(t)))
        except ValueError:
            pass
    words = t.split()
    if len(words) >= 2 and all(HEADER_WORD.match(w) for w in words[:2]):
        return "header " + " ".join(words)
    if re.fullmatch(r"\d+", t):
        return "number " + t
    return re.sub(r"\d+", "9", words[0])


def shapes(lines):
    res = []
    for line in lines:
        sh = shape(line)
        if sh is not None and (not res or res[-1] != sh):
            res.append(sh)
    return res


def main():
    if sys.argv[1] == "list":
        for e in examples(sys.argv[2]):
            print(json.dumps(e))
    elif sys.argv[1] == "shapes":
        for sh in shapes(open(sys.argv[2], errors="replace").read().split("\n")):
            print(sh)
    elif sys.argv[1] == "compare":
        e = json.loads(sys.argv[2])
        want = shapes(e["out"])
        got = shapes(open(sys.argv[3], errors="replace").read().split("\n"))
        # Not in order: the hosts of one example print at the same time.
        for w in want:
            if w not in got:
                print("the document's line of shape '%s' is not in the "
                      "output" % w)
                return 1
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
