#!/usr/bin/python3
"""Evaluates PAC files with libpacparser (the library behind pactester) for comparison.

Usage: pac_compare.py MYIP PAC URLS_FILE
Prints "URL : RESULT" per URL, as `gangway pac test` does. Microsoft's extensions are on,
so FindProxyForURLEx scripts work as they do in Gangway.
"""
import sys
from urllib.parse import urlsplit

import pacparser

myip, pac, urls = sys.argv[1], sys.argv[2], sys.argv[3]
pacparser.enable_microsoft_extensions()
pacparser.init()
pacparser.setmyip(myip)
# pacparser's Python wrapper reads files as UTF-8 only; old PACs are often Latin-1 (as Gangway allows)
raw = open(pac, "rb").read()
try:
    text = raw.decode("utf-8")
except UnicodeDecodeError:
    text = raw.decode("cp1252")
pacparser.parse_pac_string(text)
for url in open(urls).read().split():
    host = urlsplit(url).hostname
    print(f"{url} : {pacparser.find_proxy(url, host)}")
pacparser.cleanup()
