"""English stop words: function words, everyday verbs and fillers that never make a tag alone.

The list follows the SMART information-retrieval stop list in spirit, with the
verbs and adverbs that carry no topic in any kind of writing ("use", "show",
"provide") and the small talk of messages ("thanks", "hi", "ok"). A phrase is
cut wherever one of these words stands, so the list shapes the candidates as
much as it filters them.
"""

from __future__ import annotations

__all__ = ["STOP_WORDS", "WEAK_WORDS"]

_STOP = """
    a a's able about above according accordingly across actually after afterwards again against
    ain't all allow allowed allowing allows almost alone along already also although always am
    among amongst an and another any anybody anyhow anyone anything anyway anyways anywhere
    apart appear appeared appears appreciate appropriate are aren't around as aside ask asked
    asking asks associated at available away awfully b be became because become becomes becoming
    been before beforehand behind being believe below beside besides best better between beyond
    both brief but by c c'mon c's came can can't cannot cant cause causes certain certainly
    clearly co com come comes concerning consequently consider considered considering considers
    contain containing contains corresponding could couldn't course currently d definitely
    describe described describes describing despite did didn't different do does doesn't doing
    don't done down downwards during e each edu eg eight either else elsewhere enough entirely
    especially et etc even ever every everybody everyone everything everywhere ex exactly
    example except f far few fifth first five followed following follows for former formerly
    forth four from further furthermore g get gets getting given gives giving go goes going gone
    got gotten greetings h had hadn't happens hardly has hasn't have haven't having he he'd
    he'll he's hello help hence her here here's hereafter hereby herein hereupon hers herself hi
    him himself his hither hopefully how howbeit however i i'd i'll i'm i've ie if ignored
    immediate in inasmuch inc indeed indicate indicated indicates inner insofar instead into
    inward is isn't it it'd it'll it's its itself j just k keep keeps kept know known knows l
    last lately later latter latterly least less lest let let's like liked likely little look
    looking looks ltd m mainly many may maybe me mean meanwhile merely might more moreover most
    mostly much must my myself n namely nd near nearly necessary need needs neither never
    nevertheless new next nine no nobody non none noone nor normally not nothing novel now
    nowhere o obviously of off often oh ok okay old on once one ones only onto or other others
    otherwise ought our ours ourselves out outside over overall own p particular particularly
    per perhaps placed please plus possible presumably probably provides q que quite qv r rather
    rd re really reasonably regarding regardless regards relatively respectively right s said
    same saw say saying says second secondly see seeing seem seemed seeming seems seen self
    selves sensible sent serious seriously seven several shall she should shouldn't since six so
    some somebody somehow someone something sometime sometimes somewhat somewhere soon sorry
    specified specify specifying still sub such sup sure t t's take taken tell tends th than
    thank thanks thanx that that's thats the their theirs them themselves then thence there
    there's thereafter thereby therefore therein theres thereupon these they they'd they'll
    they're they've think third this thorough thoroughly those though three through throughout
    thru thus to together too took toward towards tried tries truly try trying twice two u un
    under unfortunately unless unlikely until unto up upon us use used useful uses using usually
    uucp v various very via viz vs w want wants was wasn't way we we'd we'll we're we've welcome
    well went were weren't what what's whatever when whence whenever where where's whereafter
    whereas whereby wherein whereupon wherever whether which while whither who who's whoever
    whole whom whose why will willing wish with within without won't wonder would wouldn't x y
    yes yet you you'd you'll you're you've your yours yourself yourselves z zero ability achieve
    achieved achieves achieving add added adding addition additional addresses adopted aimed
    analysed analyzed applied applies apply applying argue argued based basic began begin begins
    called carried carry chosen claimed combined compared comparing concerned conclude concluded
    conducted consists contrast correspondingly demonstrate demonstrated demonstrates derived
    designed determine determined developed difficult directly discuss discussed discusses due
    easily effective effectively efficient efficiently employ employed enable enabled enables
    ensure established evaluate evaluated evaluates existing explain explained explains explored
    express expressed extended fact facts find finds focused focuses formed fully general
    generally give good great high higher highly identified identify illustrate illustrated
    implemented important improve improved improves improving include included includes
    including increase increased increases increasing investigate investigated investigates
    involve involved involves involving large larger largely lead leads low lower made main
    major make makes making needed obtain obtained obtaining occur occurs offer offered offers
    perform performed performs potential present presented presenting presents previous
    previously proposed proposes propose proposing prove proved proves provide provided
    providing ranging recent recently reduce reduced reduces related relevant remain remains
    reported represent represents require required requires requiring resulted reviewed reveal
    revealed show showed showing shown shows significant significantly similar simple simply
    small smaller solve solved specific strong studied studying successfully suggest suggested
    suggests suitable supported takes typical typically underlying understand understanding
    varying verified whilst worked afternoon attached attachment cheers dear evening fyi fw fwd
    hey hiya morning regard thx ty yeah yep bye goodbye sincerely faithfully cc bcc lol btw
"""

# Words that may sit inside a tag ("monday meeting", "email address") but make no
# tag on their own: the medium and the calendar say nothing about the topic.
_WEAK = """
    back fine late running
    call calls called calling phone phoned rang ring text texted texts message messages email
    emails e-mail mail note notes reply replied today tonight tomorrow yesterday week weeks
    weekend month months year years time times day days hour hours minute minutes min mins asap
    am pm monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur
    thurs fri sat sun january february march april june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec
"""

STOP_WORDS: frozenset[str] = frozenset(_STOP.split())
WEAK_WORDS: frozenset[str] = frozenset(_WEAK.split())
