"""Network centralities on small hand-built graphs."""

import pytest

from pctp.analytics.engine import network as nw


def test_co_accused_edges_count_shared_cases():
    edges = nw.co_accused_edges({1: ["a", "b"], 2: ["b", "a", "c"], 3: ["d"]})
    assert edges == {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1}


def test_the_middle_of_a_path_carries_every_shortest_path():
    adj = nw.adjacency("abc", [("a", "b"), ("b", "c")])
    assert nw.degree_centrality(adj) == {"a": 0.5, "b": 1.0, "c": 0.5}
    assert nw.betweenness_centrality(adj) == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert nw.betweenness_centrality(adj, normalized=False)["b"] == 1.0


def test_a_star_centre_and_a_bridge():
    # star: centre x with leaves 1, 2, 3 -> x lies on the 3 leaf pairs
    star = nw.adjacency("x123", [("x", "1"), ("x", "2"), ("x", "3")])
    assert nw.betweenness_centrality(star, normalized=False)["x"] == 3.0
    assert nw.betweenness_centrality(star)["x"] == pytest.approx(1.0)
    # two triangles joined by the bridge c-d: c and d each lie on 3*3 - ... paths
    g = nw.adjacency("abcdef", [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"),
                                ("d", "e"), ("e", "f"), ("d", "f")])
    bc = nw.betweenness_centrality(g, normalized=False)
    # c: pairs {a,b} x {d,e,f} = 6 paths through c, d symmetric; others 0
    assert bc == {"a": 0.0, "b": 0.0, "c": 6.0, "d": 6.0, "e": 0.0, "f": 0.0}


def test_split_shortest_paths_share_the_credit():
    # a square a-b-c-d-a: a to c goes through b or d, half each
    sq = nw.adjacency("abcd", [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")])
    assert nw.betweenness_centrality(sq, normalized=False) == {
        "a": 0.5, "b": 0.5, "c": 0.5, "d": 0.5}


def test_components_largest_first_and_layout_is_deterministic():
    adj = nw.adjacency("abcxy", [("a", "b"), ("b", "c"), ("x", "y")])
    assert nw.components(adj) == [["a", "b", "c"], ["x", "y"]]
    assert nw.spring_layout(adj) == nw.spring_layout(adj)
    assert set(nw.spring_layout(adj)) == set("abcxy")
