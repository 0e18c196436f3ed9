"""Held-out perplexity from the log-likelihood (bound) an engine computed on a test split."""

from __future__ import annotations

import math

from topics.errors import ConfigError


def perplexity(*, per_word_bound: float | None = None, log_likelihood: float | None = None,
               num_tokens: int | None = None) -> float:
    """``exp(-per_word_bound)``, or ``exp(-log_likelihood / num_tokens)``.

    Give either the per-word bound (gensim's ``LdaModel.log_perplexity(test_corpus)``,
    tomotopy's ``ll_per_word``) or a total log-likelihood bound and the number of test
    tokens.  Natural logarithms throughout; note that gensim's own log line reports
    ``2 ** -bound``, which is not the perplexity of its natural-log bound.
    """
    if (per_word_bound is None) == (log_likelihood is None):
        raise ConfigError("per_word_bound", "give either per_word_bound, or log_likelihood "
                                            "with num_tokens")
    if per_word_bound is None:
        if isinstance(num_tokens, bool) or not isinstance(num_tokens, int) or num_tokens < 1:
            raise ConfigError("num_tokens", f"expected an integer >= 1, got {num_tokens!r}")
        per_word_bound = _finite(log_likelihood, "log_likelihood") / num_tokens
    elif num_tokens is not None:
        raise ConfigError("num_tokens", "only with log_likelihood, not with per_word_bound")
    return math.exp(-_finite(per_word_bound, "per_word_bound"))


def _finite(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(name, f"expected a finite number, got {value!r}")
    return float(value)
