"""Prints which process this is: lesson 09 uses it to see how many processes a launcher starts."""

import torch
from accelerate import Accelerator

accelerator = Accelerator(cpu=not torch.cuda.is_available())
# One write per line (end=""), so that the lines of two processes never run into each other.
print(f"rank {accelerator.process_index} of {accelerator.num_processes} processes "
      f"({accelerator.distributed_type.value}, device {accelerator.device})\n", end="", flush=True)
