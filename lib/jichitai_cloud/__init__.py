"""jichitai_cloud: Japanese municipalities' IT-system costs and 自治体クラウド (joint cloud)."""

__version__ = "0.1.0"
