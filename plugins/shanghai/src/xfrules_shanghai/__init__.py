"""xfrules plug-in for 上海市人民政府办公厅关于本市深入开展消费扶贫助力打赢脱贫攻坚战的实施意见 (沪府办发〔2019〕12号)."""

from xfrules import DataPlugin

__all__ = ["plugin"]

plugin = DataPlugin(__name__)
