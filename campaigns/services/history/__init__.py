"""A campaign's history: every version its schedule has had, and the changes made in CXone behind the product's
back ("drift"), with the answers to them.

    values      what a version holds, read from the mirror, CXone's answer or a stored version; what differs
    versions    recording versions: the first mirrored, one approved here (an activation reaching ACTIVE), and
                the reference each campaign is held to
    drift       after each sync: campaigns running something else than their reference (and not by our own push
                or control) are marked "changed in CXone", with an audit entry and a WFM event
    answers     Keep CXone's, Restore approved (a draft through four-eyes), Revise from a version
    controls    what our own controls want the running state to be (the hook drift asks)
"""
