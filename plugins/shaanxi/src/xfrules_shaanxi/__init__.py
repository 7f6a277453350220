"""xfrules plug-in for 陕西省消费扶贫助力决战决胜脱贫攻坚2020年实施方案 (省发展改革委牵头).

The received source is garbled; ``source.clean.txt`` is its cleaned derivation
(see :mod:`xfrules_shaanxi.cleaning`), against which quotes are checked.
"""

from xfrules import DataPlugin

__all__ = ["plugin"]

plugin = DataPlugin(__name__, source_filename="shaanxi.txt")
