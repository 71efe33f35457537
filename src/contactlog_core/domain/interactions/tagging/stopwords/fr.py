"""French stop words: function words, everyday verbs and the small talk of messages."""

from __future__ import annotations

__all__ = ["STOP_WORDS", "WEAK_WORDS"]

_STOP = """
    a à afin ai aie aient aies ait alors as au aucun aucune aujourd'hui auquel aura aurai
    auraient aurais aurait auras aurez auriez aurons auront aussi autre autres aux auxquels
    avaient avais avait avant avec avez aviez avions avoir avons ayant bien bon c' c'est ça
    car ce ceci cela celle celles celui cependant certain certaine certains ces cet cette
    ceux chacun chaque chez ci comme comment d' dans de depuis des desquels dès donc dont du
    duquel elle elles en encore entre es est et étaient étais était étant été êtes étions
    être eu eue eues eurent eus eut eux fait faire fais faut fois font furent fut hors ici
    il ils j' je jusqu jusque l' la là laquelle le lequel les lesquels leur leurs lors
    lorsque lui m' ma mais me même mêmes mes moi moins mon n' ne ni non nos notre nous on
    ont ou où par parce pas pendant peu peut peuvent plus plusieurs pour pourquoi puis qu'
    quand que quel quelle quelles quels qui quoi s' sa sans se sera serai seraient serait
    seras serez seriez serons seront ses si sien soi soient sois soit sommes son sont sous
    souvent suis sur t' ta te tes toi ton tous tout toute toutes très tu un une unes uns va
    vers voici voilà vos votre vous vu y ok oui merci beaucoup bonjour bonsoir salut cher
    chère chers madame monsieur mesdames messieurs cordialement cordiales salutations
    amitiés bises bisous bonne journée soirée bientôt ci-joint veuillez agréer
"""

# Words that may sit inside a tag but are no tag on their own.
_WEAK = """
    appel appeler appelé rappel téléphone message messages mail email e-mail courriel sms
    demain hier semaine semaines mois année an heure heures minutes lundi mardi mercredi
    jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet août
    septembre octobre novembre décembre
"""

STOP_WORDS: frozenset[str] = frozenset(_STOP.split())
WEAK_WORDS: frozenset[str] = frozenset(_WEAK.split())
