"""xfrules plug-in for 苏州市开展消费扶贫行动实施方案 (苏府办〔2020〕77号)."""

from xfrules import DataPlugin

__all__ = ["plugin"]

plugin = DataPlugin(__name__)
