"""hcflash: spaced repetition for US healthcare interoperability, in the terminal."""

__version__ = "0.1.0"
