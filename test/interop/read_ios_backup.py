#!/usr/bin/env python3
"""An independent reader of iOS backup folders, for Cradle's interop tests.

Written from the published format (data-formats.md section 1.7) with Python's plistlib and
sqlite3 and the `cryptography` package, sharing no code with Cradle. Prints one JSON object per
Files row: domain, relativePath, flags, mode, mtime, size and the sha256 of the content.

usage: read_ios_backup.py BACKUP_DIR [PASSWORD]
"""
import hashlib
import json
import os
import plistlib
import sqlite3
import struct
import sys
import tempfile

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap


def tlv_blocks(data):
    at = 0
    while at < len(data):
        tag = data[at:at + 4].decode("ascii")
        (length,) = struct.unpack(">I", data[at + 4:at + 8])
        yield tag, data[at + 8:at + 8 + length]
        at += 8 + length


def class_keys(keybag, password):
    header, classes, seen_uuid = {}, [], False
    for tag, value in tlv_blocks(keybag):
        if tag == "UUID":
            if seen_uuid:
                classes.append({})
            seen_uuid = True
        target = classes[-1] if classes else header
        target[tag] = struct.unpack(">I", value)[0] if len(value) == 4 else value
    secret = password.encode("utf-8")
    if "DPSL" in header:
        secret = hashlib.pbkdf2_hmac("sha256", secret, header["DPSL"], header["DPIC"], 32)
    key = hashlib.pbkdf2_hmac("sha1", secret, header["SALT"], header["ITER"], 32)
    return {c["CLAS"]: aes_key_unwrap(key, c["WPKY"]) for c in classes if c["WRAP"] & 2}


def aes_cbc_decrypt(key, data):
    decryptor = Cipher(algorithms.AES(key), modes.CBC(b"\0" * 16)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def wrapped(keys, blob):
    (protection_class,) = struct.unpack("<i", blob[:4])
    return aes_key_unwrap(keys[protection_class], blob[4:])


def main():
    folder = sys.argv[1]
    password = sys.argv[2] if len(sys.argv) > 2 else None
    with open(os.path.join(folder, "Manifest.plist"), "rb") as f:
        manifest = plistlib.load(f)
    keys = class_keys(manifest["BackupKeyBag"], password) if manifest.get("IsEncrypted") else None
    with open(os.path.join(folder, "Manifest.db"), "rb") as f:
        db_bytes = f.read()
    if keys:
        db_bytes = aes_cbc_decrypt(wrapped(keys, manifest["ManifestKey"]), db_bytes)
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "Manifest.db")
        with open(path, "wb") as f:
            f.write(db_bytes)
        db = sqlite3.connect(path)
        rows = db.execute("SELECT fileID, domain, relativePath, flags, file FROM Files ORDER BY domain, relativePath").fetchall()
        db.close()
    out = []
    for file_id, domain, relative_path, flags, blob in rows:
        assert file_id == hashlib.sha1(f"{domain}-{relative_path}".encode()).hexdigest()
        archive = plistlib.loads(blob)
        objects = archive["$objects"]
        record = objects[archive["$top"]["root"].data]
        assert objects[record["RelativePath"].data] == relative_path
        item = {"domain": domain, "relativePath": relative_path, "flags": flags, "mode": record["Mode"],
                "mtime": record["LastModified"], "size": record["Size"]}
        if flags == 1:
            with open(os.path.join(folder, file_id[:2], file_id), "rb") as f:
                content = f.read()
            if keys:
                key_blob = objects[record["EncryptionKey"].data]["NS.data"]
                plain = aes_cbc_decrypt(wrapped(keys, key_blob), content)
                plain = plain[:-plain[-1]]
                content = plain
            assert len(content) == record["Size"], (relative_path, len(content), record["Size"])
            item["sha256"] = hashlib.sha256(content).hexdigest()
        if flags == 4:
            item["target"] = objects[record["Target"].data]
        out.append(item)
    json.dump(out, sys.stdout)


main()
