"""xfrules plug-in for 益阳市大通湖区 大扶办发〔2020〕10号 (关于深入开展消费扶贫助力打赢脱贫攻坚战的实施方案).

The rules are data (``*.yaml``); :mod:`xfrules_datonghu.annexes` validates the monthly
report's annex tables (附件1 带贫人员名册, 附件2 消费扶贫证明材料).
"""

from xfrules import DataPlugin

__all__ = ["plugin"]

plugin = DataPlugin(__name__)
