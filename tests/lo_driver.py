"""Drive LibreOffice Calc as a person would, for tests/test_libreoffice.py. Runs with Debian's /usr/bin/python3 (python3-uno).

Reads a JSON job list on stdin, starts ONE headless soffice with a fresh user profile whose locale is
Norwegian bokmål (nb-NO), and for each job loads a file, types text into cells as the user interface
takes it (``FormulaLocal``: the locale's number, percent and date recognition and the cell's format, as
when typed; a locked cell of a protected sheet stays as it was), optionally asks Calc which cells break
their data validation (``showInvalid``, Calc's own judgement of the validations it read from the file),
and stores the document once (``xlsx``, ``ods`` or ``pdf``). Prints one JSON result per job: every typed
cell's stored value, shown text and number format, and the cells Calc marks invalid.

Why ``FormulaLocal`` and not the dispatcher's ``.uno:EnterString``: both store the same values for every
input here (checked by hand: ``30 %`` → 0,3, ``30`` → 30, ``7,1 %`` → 0,071, ``7.1`` → 46029,
``1 422,3`` → 1422,3, ``12,8`` → 12,8), but Debian's headless Calc 7.4 (libreoffice-core-nogui) aborts
about half a second after a dispatched entry, in a timer of its hidden view. ``setFormula`` is no
substitute: it reads English (``7.1`` → 7,1, ``12,8`` → text).

Not a test module (no ``test_`` prefix): pytest does not collect it, and the project's Python never imports it.
"""

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

FILTERS = {"xlsx": "Calc Office Open XML", "ods": "calc8", "pdf": "calc_pdf_Export"}
LOCALE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>nb-NO</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>nb-NO</value></prop></item>
</oor:items>
"""


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(profile):
    os.makedirs(os.path.join(profile, "user"), exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w", encoding="utf-8") as fh:
        fh.write(LOCALE)
    pipe = f"va_test_{os.getpid()}"
    args = ["/usr/bin/soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", "--norestore",
            "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;"]  # fmt: skip
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + 90
    while True:
        try:
            return proc, resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.2)


def run_job(desktop, job):
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["src"]), "_blank", 0, (prop("Hidden", True),))
    result = {"typed": [], "invalid": {}}
    try:
        for sheet, ref, text in job.get("type", []):
            cell = doc.Sheets.getByName(sheet).getCellRangeByName(ref)
            cell.FormulaLocal = text
            fmt = doc.NumberFormats.getByKey(cell.NumberFormat).FormatString
            result["typed"].append([sheet, ref, text, cell.getValue(), cell.getString(), fmt])
        for sheet in job.get("invalid", []):
            sh = doc.Sheets.getByName(sheet)
            sh.showInvalid()
            page = sh.DrawPage
            circles = [page.getByIndex(i) for i in range(page.Count)]  # comments are shapes there too: only the circles count
            result["invalid"][sheet] = sorted(c.Anchor.AbsoluteName.split(".")[-1].replace("$", "")
                                              for c in circles if c.ShapeType == "com.sun.star.drawing.EllipseShape")  # fmt: skip
        if job.get("out"):
            doc.storeToURL(uno.systemPathToFileUrl(job["out"]), (prop("FilterName", FILTERS[job["format"]]),))
    finally:
        doc.close(True)
    return result


def main():
    spec = json.load(sys.stdin)
    proc, ctx = connect(spec["profile"])
    try:
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        results = [run_job(desktop, job) for job in spec["jobs"]]
        try:
            desktop.terminate()
        except Exception:  # the bridge closes as soffice ends
            pass
    finally:
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
