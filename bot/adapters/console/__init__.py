"""The console adapter: the real bot on stdin/stdout, used by `dealbot chat`."""
