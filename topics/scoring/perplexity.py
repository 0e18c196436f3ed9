"""Held-out perplexity, ``exp(-log_likelihood / num_tokens)``, natural logarithms.

What ``topics run`` feeds it (:func:`topics.engines.heldout.held_out_bound`), per engine:

* gensim: the sum over the held-out documents of their variational lower bounds on
  ``log p(w_d)``, the document terms of ``LdaModel.bound`` (``bound(docs) - bound([])``).
  It leaves out the topic-word term ``E_q[log p(beta | eta)] - E_q[log q(beta)]``, which
  ``bound`` adds once per call and so ``LdaModel.log_perplexity`` divides among the test
  tokens: that term belongs to the model, not to the test documents, and would make the
  value depend on the test set's size.  The perplexity here is therefore lower than
  ``exp(-log_perplexity(test))``, and not the value gensim logs (``2 ** -bound``).
* tomotopy: the sum of single Gibbs-sampled joint log-likelihoods ``log p(w_d, z_d)``
  (``infer(..., together=False)``), over the words the trained model knows.

The two engines' values are different quantities: compare runs of the same engine.
"""

from __future__ import annotations

import math

from topics.errors import ConfigError


def perplexity(*, per_word_bound: float | None = None, log_likelihood: float | None = None,
               num_tokens: int | None = None) -> float:
    """``exp(-per_word_bound)``, or ``exp(-log_likelihood / num_tokens)``.

    Give either a per-word log-likelihood (bound) or a total one and the number of test
    tokens (what ``held_out_bound`` returns; see the module docstring for what it is per
    engine).  Natural logarithms throughout.
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
