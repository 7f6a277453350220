"""xfrules plug-in for 关于深入开展消费扶贫助力打赢脱贫攻坚战的实施方案 (津援发〔2019〕5号)."""

from xfrules import DataPlugin

__all__ = ["plugin"]

plugin = DataPlugin(__name__)
