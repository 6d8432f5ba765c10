#!/usr/bin/env python3
"""An independent writer of encrypted iOS backup folders, for Cradle's interop tests.

Written from the published format (data-formats.md section 1.7) with plistlib, sqlite3 and the
`cryptography` package, sharing no code with Cradle. Reads a JSON list of files
({domain, relativePath, mode, mtime, hex}) on stdin.

usage: write_ios_backup.py BACKUP_DIR PASSWORD DPIC ITER < files.json
"""
import datetime
import hashlib
import json
import os
import plistlib
import sqlite3
import struct
import sys
import tempfile

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.keywrap import aes_key_wrap

PROTECTION_CLASS = 4


def block(tag, value):
    if isinstance(value, int):
        value = struct.pack(">I", value)
    return tag.encode("ascii") + struct.pack(">I", len(value)) + value


def aes_cbc(key, data, pad):
    if pad:
        padder = padding.PKCS7(128).padder()
        data = padder.update(data) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(b"\0" * 16)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def mbfile(relative_path, mode, mtime, size, key_blob):
    record = {"$class": plistlib.UID(4), "RelativePath": plistlib.UID(2), "EncryptionKey": plistlib.UID(3),
              "Size": size, "Mode": 0o100000 | mode, "UserID": 501, "GroupID": 501, "InodeNumber": 7,
              "Flags": 0, "Birth": mtime, "LastModified": mtime, "LastStatusChange": mtime,
              "ProtectionClass": PROTECTION_CLASS}
    objects = ["$null", record, relative_path,
               {"NS.data": key_blob, "$class": plistlib.UID(5)},
               {"$classname": "MBFile", "$classes": ["MBFile", "NSObject"]},
               {"$classname": "NSMutableData", "$classes": ["NSMutableData", "NSData", "NSObject"]}]
    archive = {"$version": 100000, "$archiver": "NSKeyedArchiver", "$top": {"root": plistlib.UID(1)},
               "$objects": objects}
    return plistlib.dumps(archive, fmt=plistlib.FMT_BINARY)


def main():
    folder, password, dpic, iterations = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    files = json.load(sys.stdin)
    os.makedirs(folder)
    salt, dpsl = os.urandom(20), os.urandom(20)
    k1 = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), dpsl, dpic, 32)
    password_key = hashlib.pbkdf2_hmac("sha1", k1, salt, iterations, 32)
    keys = {c: os.urandom(32) for c in range(1, 12)}
    keybag = b"".join([block("VERS", 4), block("TYPE", 1), block("UUID", os.urandom(16)),
                       block("HMCK", os.urandom(40)), block("WRAP", 0), block("SALT", salt),
                       block("ITER", iterations), block("DPWT", 1), block("DPIC", dpic), block("DPSL", dpsl)])
    for c in sorted(keys, reverse=True):
        keybag += block("UUID", os.urandom(16)) + block("CLAS", c) + block("WRAP", 3) + block("KTYP", 0)
        keybag += block("WPKY", aes_key_wrap(password_key, keys[c]))

    def wrapped(key):
        return struct.pack("<i", PROTECTION_CLASS) + aes_key_wrap(keys[PROTECTION_CLASS], key)

    with tempfile.TemporaryDirectory() as scratch:
        db_path = os.path.join(scratch, "Manifest.db")
        db = sqlite3.connect(db_path)
        db.execute("CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB)")
        db.execute("CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB)")
        for f in files:
            content = bytes.fromhex(f["hex"])
            file_id = hashlib.sha1(f"{f['domain']}-{f['relativePath']}".encode()).hexdigest()
            key = os.urandom(32)
            os.makedirs(os.path.join(folder, file_id[:2]), exist_ok=True)
            with open(os.path.join(folder, file_id[:2], file_id), "wb") as out:
                out.write(aes_cbc(key, content, pad=True))
            blob = mbfile(f["relativePath"], f["mode"], f["mtime"], len(content), wrapped(key))
            db.execute("INSERT INTO Files VALUES (?, ?, ?, 1, ?)", (file_id, f["domain"], f["relativePath"], blob))
        db.commit()
        db.close()
        with open(db_path, "rb") as f:
            plain_db = f.read()
    db_key = os.urandom(32)
    with open(os.path.join(folder, "Manifest.db"), "wb") as out:
        out.write(aes_cbc(db_key, plain_db, pad=False))
    now = datetime.datetime(2024, 11, 5, 10, 0, 0)
    lockdown = {"UniqueDeviceID": "PYTHON-UDID", "DeviceName": "Python iPhone", "ProductType": "iPhone14,5",
                "ProductVersion": "17.5", "BuildVersion": "21F79", "SerialNumber": "PY123"}
    manifest = {"IsEncrypted": True, "Version": "10.0", "Date": now, "WasPasscodeSet": False,
                "Lockdown": lockdown, "Applications": {}, "BackupKeyBag": keybag, "ManifestKey": wrapped(db_key)}
    with open(os.path.join(folder, "Manifest.plist"), "wb") as out:
        plistlib.dump(manifest, out, fmt=plistlib.FMT_BINARY)
    with open(os.path.join(folder, "Status.plist"), "wb") as out:
        plistlib.dump({"SnapshotState": "finished", "BackupState": "new", "IsFullBackup": True,
                       "Version": "3.3", "Date": now, "UUID": "PY-UUID"}, out, fmt=plistlib.FMT_BINARY)


main()
