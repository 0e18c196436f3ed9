"""The gensim engine's M-step without gensim's logging work gives the matrices ``LdaModel``
gives: same corpus, parameters and seed, bit for bit, with and without the random draw of
``print_topics`` (more than five topics or not) and with eta learned."""

import random

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models import LdaModel

from topics.engines import gensim_lda


def corpus():
    rng = random.Random(0)
    texts = [[f"w{min(int(rng.paretovariate(1.1)), 80)}" for _ in range(rng.randrange(5, 30))]
             for _ in range(150)]
    dictionary = Dictionary(texts)
    return dictionary, [dictionary.doc2bow(t) for t in texts]


@pytest.mark.parametrize("num_topics,eta", [(3, "symmetric"), (8, "symmetric"), (8, "auto")])
def test_lean_mstep_gives_ldamodels_matrices(num_topics, eta):
    dictionary, bows = corpus()
    params = {"num_topics": num_topics, "alpha": "auto", "eta": eta, "passes": 2,
              "iterations": 50, "chunksize": 20, "seed": 3, "workers": 1}
    model, topic_word = gensim_lda.train(dictionary=dictionary, corpus=bows, params=params,
                                         prior=None)
    plain = LdaModel(corpus=bows, num_topics=num_topics, id2word=dictionary, alpha="auto",
                     eta=eta, passes=2, iterations=50, chunksize=20, random_state=3,
                     eval_every=None)
    assert type(model) is LdaModel
    np.testing.assert_array_equal(model.get_topics(), plain.get_topics())
    np.testing.assert_array_equal(model.alpha, plain.alpha)
    np.testing.assert_array_equal(model.eta, plain.eta)
    assert model.num_updates == plain.num_updates == 150  # first pass only
    np.testing.assert_array_equal(gensim_lda.doc_topics(model, bows, seed=1),
                                  gensim_lda.doc_topics(plain, bows, seed=1))
    assert topic_word.shape == (num_topics, len(dictionary))
