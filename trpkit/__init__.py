"""trpkit: case files and IRCC TRP submissions for NGOs accompanying survivors of trafficking.

Nothing heavy is imported here: the CLI's start-up time depends on it.
"""

from time import perf_counter as _perf_counter

START_TIME = _perf_counter()
__version__ = "0.1.0"
