"""Presidio analyzer, pattern-only (NoOpNlpEngine, no spaCy model), over a file of values.

The recognizers mirror the categories the dd-sds peer is given: resident ID (with the
GB 11643 check digit), mobile, email, bank card (Luhn), VIN (ISO 3779 check digit), plate.
Prints one JSON line.  Usage: python presidio_bench.py VALUES.txt N
"""
import json, sys, time

from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NoOpNlpEngine

ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_C = "10X98765432"
VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
VIN_V = {**{str(d): d for d in range(10)},
         **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))),
         "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}


class Checked(PatternRecognizer):
    def __init__(self, entity, regex, check):
        super().__init__(supported_entity=entity, supported_language="zh",
                         patterns=[Pattern(entity.lower(), regex, 0.5)])
        self._check = check

    def validate_result(self, text):
        return self._check(text)


def id_ok(t):
    t = t.upper()
    return ID_C[sum(int(a) * w for a, w in zip(t[:17], ID_W)) % 11] == t[17]


def luhn_ok(t):
    s = 0
    for i, ch in enumerate(reversed(t)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        s += d
    return s % 10 == 0


def vin_ok(t):
    r = sum(VIN_V[c] * w for c, w in zip(t, VIN_W)) % 11
    return t[8] == ("X" if r == 10 else str(r))


def build_engine():
    reg = RecognizerRegistry(supported_languages=["zh"])
    reg.add_recognizer(Checked("CN_RESIDENT_ID",
        r"(?<!\d)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)", id_ok))
    reg.add_recognizer(PatternRecognizer(supported_entity="CN_MOBILE", supported_language="zh",
        patterns=[Pattern("cn_mobile", r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)", 0.6)]))
    reg.add_recognizer(PatternRecognizer(supported_entity="EMAIL_ADDRESS", supported_language="zh",
        patterns=[Pattern("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", 0.6)]))
    reg.add_recognizer(Checked("CN_BANK_CARD", r"(?<!\d)[1-9]\d{15,18}(?!\d)", luhn_ok))
    reg.add_recognizer(Checked("VIN", r"(?<![A-Z0-9])[A-HJ-NPR-Z0-9]{17}(?![A-Z0-9])", vin_ok))
    reg.add_recognizer(PatternRecognizer(supported_entity="CN_PLATE", supported_language="zh",
        patterns=[Pattern("cn_plate",
            r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}", 0.5)]))
    return AnalyzerEngine(registry=reg,
                          nlp_engine=NoOpNlpEngine(models=[{"lang_code": "zh", "model_name": "none"}]),
                          supported_languages=["zh"])


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    with open(path, encoding="utf-8") as f:
        values = [line.rstrip("\n") for _, line in zip(range(n), f)]
    engine = build_engine()
    engine.analyze(text=values[0], language="zh")  # warm-up (regex compilation)
    hits = {}
    t0 = time.perf_counter()
    for v in values:
        for r in engine.analyze(text=v, language="zh"):
            hits[r.entity_type] = hits.get(r.entity_type, 0) + 1
    dt = time.perf_counter() - t0
    from importlib.metadata import version
    print(json.dumps({"engine": "presidio-analyzer " + version("presidio-analyzer"),
                      "values": len(values), "secs": dt, "values_per_sec": len(values) / dt, "hits": hits}))


if __name__ == "__main__":
    main()
