"""German stop words: function words, everyday verbs and the small talk of messages.

Stored casefolded ("ss" for "ß"), as the extractor compares casefolded tokens.
"""

from __future__ import annotations

__all__ = ["STOP_WORDS", "WEAK_WORDS"]

_STOP = """
    aber ab alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anderr anders auch auf aus bei beim bereits bin bis bist bitte
    bzw da dabei dadurch dafür dafur dagegen daher dahin damals damit danach daneben dann
    daran darauf daraus darf darfst darin darum darunter das dass dasselbe davon davor dazu
    dein deine deinem deinen deiner deines dem demselben den denn denselben der derer
    derselbe derselben des desselben dessen deshalb dich die dies diese dieselbe dieselben
    diesem diesen dieser dieses dir doch dort du durch dürfen ebenso ein eine einem einen
    einer eines einig einige einigem einigen einiger einiges einmal er es etwa etwas euch
    euer eure eurem euren eurer eures für fur gab gegen gegenüber gehabt geht gemacht gewesen
    gibt gleich hab habe haben hat hatte hatten hätte hätten hier hin hinter ich ihm ihn
    ihnen ihr ihre ihrem ihren ihrer ihres im immer in indem ins ist ja je jede jedem jeden
    jeder jedes jedoch jene jenem jenen jener jenes jetzt kann kannst kein keine keinem
    keinen keiner keines können könnte konnte machen man manche manchem manchen mancher
    manches mehr mein meine meinem meinen meiner meines mich mir mit muss musste müssen nach
    nachdem nein neben nicht nichts noch nun nur ob oben oder ohne sehr sein seine seinem
    seinen seiner seines seit seitdem selbst sich sie sind so solche solchem solchen solcher
    solches soll sollen sollte sondern sonst sowie später statt über um und uns unser
    unsere unserem unseren unserer unseres unter viel viele vom von vor während wann war
    waren warst warum was weg weil weiter welche welchem welchen welcher welches wenn wer
    werde werden wie wieder will wir wird wirst wo wollen wollte worden wurde wurden würde
    würden zu zum zur zwar zwischen ok okay ja gerne gern danke dank vielen herzlich
    herzliche freundlichen freundliche grüsse grüssen gruss grüße grüßen gruß lg vg mfg
    hallo hi liebe lieber geehrte geehrter geehrtes sehr damen herren guten tag morgen
    abend moin servus tschüss bis bald anbei beigefügt
"""

# Words that may sit inside a tag but are no tag on their own.
_WEAK = """
    anruf anrufen angerufen rückruf telefon nachricht nachrichten mail email e-mail sms
    heute gestern morgen woche wochen monat jahr zeit uhr minuten stunden montag dienstag
    mittwoch donnerstag freitag samstag sonntag januar februar märz april mai juni juli
    august september oktober november dezember
"""

STOP_WORDS: frozenset[str] = frozenset(_STOP.split())
WEAK_WORDS: frozenset[str] = frozenset(_WEAK.split())
