#!/usr/bin/env python3
"""Runs README.md as a newcomer would: every shell block, section by section.

Each README section (### heading, or ## when it has no ### below it) runs in a fresh directory
that holds a copy of its examples/<folder>/ and, as read-only links, the repository's data/ and
build/ (the README's commands are written to run from the repository root). The section's shell
blocks run there in one bash, in order, so that variables and files carry from one command to the
next. Every command must exit 0 unless the README announces otherwise on that command's line with
a comment "# exit N" (or "exit N when/if ..."): then 0 and N are accepted. A command that fails
otherwise fails the test, with its output.

Usage: run_readme.py --tally BIN [--tallyd BIN] [--readme README.md] [--section REGEX] [--keep]
Exit 0 when every command did what the text says, 1 otherwise.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

# README section title (prefix) -> examples/ folder; None: the section is not run, with the reason.
SECTIONS = [
    ("Two commands", None, "installs packages and builds the whole project; CI runs it as its own job"),
    ("A treaty year of verification", "exercise", None),
    ("World nuclear forces", "forces", None),
    ("Treaties and compliance checks", "treaties", None),
    ("The tamper-evident log", "log", None),
    ("One node per party", "node", None),
    ("Declarations under escrow", "declarations", None),
    ("How likely an inspection regime", "inspect", None),
    ("Inspections on the log", "inspection", None),
    ("Seeing it", None, "tally dashboard serves until stopped; the browser suite (CTest label "
     "browser) runs these commands and opens what they write"),
    ("Estimates, upload capacity", "estimates", None),
]

EXIT_NOTE = re.compile(r"#.*\bexit (\d)\b")


def parse_readme(path):
    """[(title, [command, ...])] with continuation lines joined."""
    sections, title, in_block, block = [], None, False, []
    lines = open(path, encoding="utf-8").read().split("\n")
    for line in lines:
        if not in_block and line.startswith("#"):
            m = re.match(r"^#{2,3} (.*)", line)
            if m:
                title = m.group(1).strip()
                sections.append((title, []))
            continue
        if line.strip().startswith("```"):
            if in_block:
                in_block = False
                if sections:
                    sections[-1][1].extend(join_commands(block))
            elif line.strip() in ("```sh", "```bash", "```shell"):
                in_block, block = True, []
            continue
        if in_block:
            block.append(line)
    return [(t, cmds) for t, cmds in sections if cmds]


def join_commands(lines):
    out, cur = [], ""
    for line in lines:
        cur = cur + "\n" + line if cur else line
        if line.rstrip().endswith("\\"):
            continue
        if cur.strip() and not cur.strip().startswith("#"):
            out.append(cur)
        cur = ""
    if cur.strip():
        out.append(cur)
    return out


def allowed_exits(command):
    codes = {0}
    for m in EXIT_NOTE.finditer(command):
        codes.add(int(m.group(1)))
    return codes


def background_ready_wait(command):
    """After `tallyd DIR ... &`, wait for DIR/run/ready as a user would."""
    m = re.match(r"^\s*tallyd\s+(\S+).*&\s*(#.*)?$", command)
    if not m:
        return ""
    d = m.group(1)
    return (f'for __i in $(seq 1 200); do [ -s {d}/run/ready ] && break; sleep 0.05; done\n')


def build_script(commands, results_path):
    parts = ["set +e", "exec 3>" + results_path]
    for i, c in enumerate(commands):
        parts.append(f'echo "__README_BEGIN {i}" >&2')
        parts.append(c)
        parts.append(f'echo "{i} $?" >&3')
        w = background_ready_wait(c)
        if w:
            parts.append(w)
    parts.append('__jobs=$(jobs -p); [ -n "$__jobs" ] && kill $__jobs 2>/dev/null; wait 2>/dev/null')
    parts.append("true")
    return "\n".join(parts) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tally", required=True)
    ap.add_argument("--tallyd")
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap.add_argument("--readme", default=os.path.join(repo, "README.md"))
    ap.add_argument("--section", default="")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--timeout", type=int, default=600)
    args = ap.parse_args()

    bindir = tempfile.mkdtemp(prefix="tally-readme-bin-")
    os.symlink(os.path.abspath(args.tally), os.path.join(bindir, "tally"))
    if args.tallyd:
        os.symlink(os.path.abspath(args.tallyd), os.path.join(bindir, "tallyd"))
    build_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(args.tally))))

    failures, ran, skipped = 0, 0, 0
    for title, commands in parse_readme(args.readme):
        if args.section and not re.search(args.section, title):
            continue
        spec = next((s for s in SECTIONS if title.startswith(s[0])), None)
        if spec is None:
            print(f"FAIL [{title}]: no examples/ folder is assigned to this README section "
                  "(add it to SECTIONS in tests/readme/run_readme.py)")
            failures += 1
            continue
        if spec[1] is None:
            print(f"skip [{title}]: {spec[2]}")
            skipped += len(commands)
            continue
        work = tempfile.mkdtemp(prefix="tally-readme-")
        src = os.path.join(repo, "examples", spec[1])
        if os.path.isdir(src):
            shutil.copytree(src, work, dirs_exist_ok=True)
        os.symlink(os.path.join(repo, "data"), os.path.join(work, "data"))
        # The README writes build/release/...; point it at the build under test.
        os.makedirs(os.path.join(work, "build"))
        os.symlink(build_dir, os.path.join(work, "build", "release"))
        env = dict(os.environ)
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
        env["HOME"] = work
        env["XDG_DATA_HOME"] = os.path.join(work, ".local", "share")
        env.pop("TALLY_STORE", None)
        env["NO_COLOR"] = "1"
        # Commands that need what this build or machine may lack are skipped, saying so.
        runnable = []
        for c in commands:
            why = None
            if "build/release/python" in c and not os.path.isdir(os.path.join(build_dir, "python")):
                why = "the build under test has no python/ module"
            elif "mpirun" in c and shutil.which("mpirun") is None:
                why = "no mpirun on this machine"
            if why:
                print(f"skip [{title}]: {c.strip().splitlines()[0][:60]}...: {why}")
                skipped += 1
                runnable.append("true")
            else:
                runnable.append(c)
        commands_to_run = runnable
        results = os.path.join(work, ".readme-results")
        script = build_script(commands_to_run, results)
        try:
            proc = subprocess.run(["bash", "-c", script], cwd=work, env=env,
                                  capture_output=True, text=True, errors="replace",
                                  timeout=args.timeout)
            stderr = proc.stderr
        except subprocess.TimeoutExpired as e:
            stderr = (e.stderr or b"").decode("utf-8", "replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
            print(f"FAIL [{title}]: timed out after {args.timeout} s")
            failures += 1
        got = {}
        if os.path.exists(results):
            for line in open(results):
                i, rc = line.split()
                got[int(i)] = int(rc)
        errs = {}
        cur = None
        for line in stderr.split("\n"):
            m = re.match(r"^__README_BEGIN (\d+)$", line)
            if m:
                cur = int(m.group(1))
                continue
            if cur is not None:
                errs.setdefault(cur, []).append(line)
        bad = 0
        for i, c in enumerate(commands):
            ran += 1
            rc = got.get(i)
            ok = rc in allowed_exits(c) or commands_to_run[i] == "true"
            if not ok:
                bad += 1
                tail = "\n      ".join((errs.get(i) or [])[-8:])
                print(f"FAIL [{title}] exit {rc} (text announces {sorted(allowed_exits(c))}):\n"
                      f"    $ {c.strip()}\n      {tail}")
        failures += bad
        print(f"{'ok  ' if bad == 0 else 'FAIL'} [{title}]: {len(commands) - bad}/{len(commands)} "
              f"commands as announced ({work if args.keep else 'fresh directory'})")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(bindir, ignore_errors=True)
    print(f"readme: {ran} commands run, {skipped} skipped, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
