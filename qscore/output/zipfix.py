"""Zip archives made reproducible: the same members give the same bytes whenever and
wherever they are written. Office files (.docx, .xlsx) are zips, and zipfile stamps every
member with the current local time, so without this two renders of one notice differ."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

_EARLIEST = (1980, 1, 1, 0, 0, 0)  # the zip format cannot record an earlier time


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """`data` rewritten with every member stamped `when` and fixed attributes.

    Member order, names, contents and each member's compression method are kept (an ODF
    `mimetype` member must stay first and stored); what varies between runs and machines
    (time, creating system, permissions, archive comment) is fixed."""
    stamp = max(when.timetuple()[:6], _EARLIEST)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for member in src.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = member.compress_type
            info.create_system = 3  # unix, whatever system runs this
            is_dir = member.filename.endswith("/")
            info.external_attr = ((0o40755 if is_dir else 0o100644) << 16) | (0x10 if is_dir else 0)
            # compresslevel fixed too: zipfile's default could change between Python versions
            dst.writestr(info, src.read(member.filename), compresslevel=6 if member.compress_type else None)
    return out.getvalue()
