"""The supervision cycle 每日一回访、每月一通报、每季一督办、每年一考核 (issue 3; figures in docs/metrics.md).

One small module per job: ``rules`` (settings), ``periods``, ``flags``, ``daily``, ``reports``,
``snapshots``, ``supervision``, ``assessment``, ``jobs``, ``enterprise``, ``holidays``.
Services take a session and ``now``, flush but never commit; the caller owns the transaction.
"""
