"""What the template's tests share: commands, renders, services, processes, stand-ins.

Test modules import from here, never from a conftest.py or from each other.
"""
