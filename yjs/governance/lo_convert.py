"""Word to PDF through LibreOffice's UNO API, updating the contents first.

Run as a script by a Python that has LibreOffice's `uno` module (Debian's python3-uno: the
system Python, not the project's virtualenv), so it imports nothing from the project:

    python3 lo_convert.py SOFFICE PROFILE_URL SRC.docx OUT.pdf OPTIONS_JSON

`soffice --convert-to` exports a Word file's contents (a TOC field) as it was saved, without
page numbers, and LibreOffice 7.4 ignores Word's `w:updateFields` setting; here each index is
updated once the document is laid out, as Word does when it asks to update fields.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _connect(pipe: str, soffice: subprocess.Popen, timeout: float = 120):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if soffice.poll() not in (None, 0) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def convert(soffice_cmd: str, profile_url: str, src: str, dst: str, options: dict) -> None:
    pipe = f"yjs-{uuid.uuid4().hex}"
    soffice = subprocess.Popen(
        [
            soffice_cmd,
            f"-env:UserInstallation={profile_url}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        ctx = _connect(pipe, soffice)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0, (_prop("Hidden", True),)
        )
        indexes = doc.getDocumentIndexes()
        # Twice: the first update may lengthen the contents and move what follows a page on.
        for _ in range(2):
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
        filter_data = uno.Any(
            "[]com.sun.star.beans.PropertyValue",
            tuple(_prop(k, v) for k, v in options.items()),
        )
        uno.invoke(
            doc,
            "storeToURL",
            (
                uno.systemPathToFileUrl(os.path.abspath(dst)),
                (_prop("FilterName", "writer_pdf_Export"), _prop("FilterData", filter_data)),
            ),
        )
        doc.close(True)
    finally:
        if desktop is not None:
            try:
                desktop.terminate()
            except Exception:  # noqa: BLE001 - the bridge goes as soffice quits
                pass
        try:
            soffice.wait(timeout=30)
        except subprocess.TimeoutExpired:
            soffice.kill()


if __name__ == "__main__":
    cmd, profile, source, target, opts = sys.argv[1:6]
    convert(cmd, profile, source, target, json.loads(opts))
