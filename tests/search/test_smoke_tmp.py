def test_smoke(forum, finder):
    space = forum.space("Jeunesse")
    author = forum.member("camille")
    topic = forum.topic(author, space, "La désinstitutionnalisation en question",
                        "Les enfants placés et l'accompagnement des éducateurs.")
    opening = forum.opening(topic)
    assert finder.ids(author, "desinstitutionnaliser") == [opening.id]
    assert finder.ids(None, "enfant") == [opening.id]
    assert finder.ids(None, "educateur accompagner") == [opening.id]
    assert finder.ids(None, "inexistant") == []
