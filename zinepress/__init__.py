"""zinepress: one piece of content plus layout templates in, print-ready PDFs out."""

__version__ = "0.1.0"
