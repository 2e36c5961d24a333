# Texts of the trainee's console (English). Keys are the same as in fr/desk.ftl.

## Start screen
app-title = raleur
app-tagline = Practise answering angry customers on social media.
trainee-name = Trainee's name
trainee-name-hint = First and last name
language = Language
mode = Mode
mode-training = Training (customers' anger and hints shown)
mode-exam = Exam (no help)
seed = Seed
scenario = Scenario
scenario-facts = Difficulty { $difficulty }/5 · { $minutes } simulated min · { $team ->
        [1] one adviser
       *[other] team of { $team }
    }
scenario-competitor = { $brand } against { $competitor } ({ $handle })
crowd = Crowd
crowd-solo = For one person: about { $per_hour } customers an hour
crowd-team = { $team ->
        [1] For one adviser
       *[other] For the team of { $team }
    }: about { $per_hour } customers an hour
crowd-cell = As a crisis cell: you and { $colleagues } scripted colleagues, for the team of { $team }: about { $per_hour } customers an hour
top-crowd-solo = Alone · about { $per_hour } customers/h
top-crowd-team = { $team ->
        [1] One adviser
       *[other] Team of { $team }
    } · about { $per_hour } customers/h
top-crowd-cell = Cell of { $team } · about { $per_hour } customers/h
learning-goals = Learning goals
start = Start the session
error-no-name = Enter your name to start.
error-no-scenario = No scenario is available.

## Top bar
pause = ⏸ Pause
resume = ▶ Resume
autoplay-label = Demonstration: "{ $policy }" team
counter-waiting = waiting
counter-answered = answered
counter-churned = churned
counter-ambassadors = ambassadors
buzz = Bad buzz
buzz-explained = The bad-buzz index adds up what the public has seen of the crisis: each customer's public message and each of its shares, weighted by the author's audience and anger when writing; it fades with time. Even a calm session raises it a little: a reply does not erase a message already read, it prevents the follow-ups, the shaming and the shares that would add to it.
pause-key = Ctrl+P
next-waiting = ⏭ Next
next-waiting-key = Open the conversation waiting longest (Ctrl+N)
open-debrief = Debrief
weekday-0 = Mon
weekday-1 = Tue
weekday-2 = Wed
weekday-3 = Thu
weekday-4 = Fri
weekday-5 = Sat
weekday-6 = Sun

## Conversation queue
queue-title = Conversations
filter-open = Open
filter-unanswered = Unanswered
filter-public = Public
filter-private = Private
filter-all = All
channel-all = All networks
channel-twitter = Twitter
channel-facebook = Facebook
show-feed = Public feed
queue-empty = No conversation for these filters.
waiting-min = waiting { $minutes } min
answered = answered
closed = closed
held-by-you = You are answering this customer.
held-by-other = { $seat } is answering this customer.
held-by-nobody = Nobody is answering this customer yet.
claim = Take the conversation
release = Give back to the team
hand-over = Hand over to…
cue-private = Moved to private messages
cue-capitals = Written in capitals
cue-exclamations = Strings of exclamation marks
cue-emoticons = Emoticons
cue-followups = Follow-ups

## Conversation
conversation-none = Pick a conversation in the queue.
thread-twitter = Public Twitter thread
thread-facebook = Facebook comments
thread-private = Private messages
thread-empty = No message.
moderate-hide = 🙈 Hide
moderate-hide-help = Hide this comment from the public: for details written in public or an insult. Hiding a mere complaint reads as censorship.
moderate-like = 👍 Like
moderate-like-help = Like this comment: a thank-you, yes; a complaint, never (it reads as mockery).
moderate-liked = 👍 liked
hidden = (hidden)
promo-posts = The brand's posts
feed-account-care = care
feed-account-corporate = brand
feed-title = The brand's public feed

## Customer card
card-title = Customer card
card-none = No customer selected.
account-twitter-care = Twitter, customer-care account
account-twitter-corporate = Twitter, corporate account
account-facebook-care = Facebook, customer-care page
account-facebook-corporate = Facebook, brand page
followers = { $count ->
        [one] { $count } follower
       *[other] { $count } followers
    }
history = History with the brand
history-messages = { $posts ->
        [one] { $posts } message
       *[other] { $posts } messages
    }, { $replies ->
        [one] { $replies } reply received
       *[other] { $replies } replies received
    }, { $followups ->
        [one] { $followups } follow-up
       *[other] { $followups } follow-ups
    }
history-since = First message { $minutes } min ago
stage-open = Case open, in public
stage-private = Case open, in private messages
stage-transferred = Handed to { $service }
stage-resolved = Resolved
stage-churned = Cancelled their contract
stage-abandoned = Gave up
details-given = Details given
anger = Anger: { $value }/100
lesson = Lesson

## Composer
composer-none = Select a conversation to reply.
reply-to = Reply to { $handle }
public = Public
private = Private
sign-off = Sign-off
composer-hint = Your reply…
send-key = Ctrl+Enter to send
send = Send
transfer = Hand to
pick-service = pick a service
transfer-send = Hand the case over
hint-politeness = Politeness { $score }/100
error-no-conversation = Pick a conversation first.
error-no-service = Pick the service to hand the case to.
error-missing-unticked = { $service } needs: { $details }. The customer gave it: tick it before handing the case over.
error-missing-not-given = { $service } needs: { $details }, which the customer has not given you yet: ask for it in private messages.
error-no-private = { $handle } has not written to you privately yet: invite them to private messages first.
error-already-transferred = { $handle }'s case is already with a service.
error-case-closed = { $handle }'s case is closed.
error-held-by = { $seat } is already answering { $handle }: leave them the conversation or ask them to hand it over.
error-detail-not-collected = The customer has not given you "{ $detail }": ask for it in private messages.

## Debrief
debrief-title = Debrief
debrief-subtitle = { $trainee } · { $scenario } · seed { $seed }
resume-session = Resume the session
back-to-menu = New session
export-json = Export as JSON
export-html = Export as HTML
exported = Saved: { $path }
scores = Scores per competence
score-overall = Overall
score-speed = Speed
score-civil = Civil competence
score-technical = Technical competence
score-contractual = Contractual competence
score-redirection = Redirection
score-outcomes = Outcomes (churn, buzz)
score-tone = Tone (politeness)
score-answered = Customers answered (%)
outcomes-line = { $customers } customers · { $churned } churned · { $ambassadors } ambassadors · peak buzz { $buzz }
advice = Advice
advice-none = Nothing to report: well done.
advice-count = { $count ->
        [one] once
       *[other] { $count } times
    }, { $points ->
        [one] { $points } point lost
       *[other] { $points } points lost
    }
advice-general = General advice: this is your weakest competence.
charts = The session over time
chart-waiting = Customers waiting
chart-buzz = Buzz index
chart-anger = Mean anger
chart-response = Time to first response (min)
minutes = minutes
replies = Your replies, the costliest first
conversation-summary = { $replies ->
        [0] never answered
        [one] { $replies } reply
       *[other] { $replies } replies
    }, { $points ->
        [one] { $points } point lost
       *[other] { $points } points lost
    }
conversation-pick = Pick a conversation to read your replies again.

team = The cell
team-line = { $collisions } collisions, { $handoffs } hand-offs, { $shared } conversations shared between seats
team-seat = Seat
team-replies = Replies
team-first = First answers
team-first-value = { $count } · median { $seconds } s
team-civil = Civility
team-handoffs = Handed / received
team-collisions = { $count } collisions

crisis = Crisis communication
crisis-line = { $score }/100 · { $in_time } of { $due } escalations in time · { $articles } articles
crisis-row = { $incident } on { $channel }: first statement { $first } (norm { $norm } min), quality { $quality }, { $missed } of { $promised } promised updates missed
crisis-first = at { $minutes } min
crisis-none = none

statement-open = Public statement…
statement-title = Public statement
statement-channel = Network:
statement-count = { $count } / { $limit } characters
statement-quality = Statement quality: { $quality }/100
statement-publish = Publish and pin
statement-published = Statement published and pinned on { $channel }.
statement-pinned = Pinned on { $channel } · { $time }
escalate = Escalate to:
escalated-to = Escalated: { $desk }
desk-crisis-cell = Crisis cell
desk-press-office = Press office
desk-legal = Legal department

## The academy: progress through the curriculum and recorded sessions
course-title = Your progress · { $course }
course-enter-name = Enter your name to see your progress.
course-new-trainee = New trainee: you will be enrolled at your first session.
course-unavailable = The academy's records are unavailable: { $error }
course-level-passed = ✔ { $level }
course-level-current = ▶ { $level }
course-level-locked = ○ { $level }
course-exam = in exam mode
course-next = Next session: { $scenario }, seed { $seed }
course-best-lacks = Best attempt, below the threshold: { $lacks }
course-prepare = Prepare this session
course-complete = Every level is passed: your digital passport can be issued.
session-interrupted = ⚠ The last session ({ $trainee }, { $scenario }) stopped on an internal error of the console: "{ $reason }". The { $events } events played are kept in the academy's records; you can start a new session.
session-stopped = ⚠ The session stopped on an internal error of the console: "{ $reason }".
recording-failed = Session not recorded: { $error }
recording-on = Session recorded in the academy's records
error-course-scenario = This session's scenario is not in the open library (a different version?).

## A seat of a team exercise (raleur play --join)
remote-seat = Your seat: { $seat }
remote-waiting = ⏳ Waiting: the facilitator has not started the exercise
remote-running = ▶ Live · ×{ $speed }
remote-paused = ⏸ Paused (facilitator)
remote-ended = ■ Exercise over
remote-lost = ⚠ Connection lost, joining again…
remote-offline = No connection to the exercise's server: the action was not sent. Try again in a moment.

## The after-action review of a team exercise (raleur serve).
review-title = After-action review
review-subtitle = { $scenario } · seed { $seed } · { $minutes } simulated { $minutes ->
        [one] minute
       *[other] minutes
    } · exercise { $exercise }
review-team-scores = The team's scores
review-injects = Injects fired and the team's response
review-no-injects = No inject was fired.
review-at = Time
review-inject = Inject
review-customers = Customers brought
review-first-reply = First reply to the first customer
review-all-answered = All answered within
review-answered-of = { $answered } of { $count } answered
review-injects-help = Times count from the start of the exercise; delays, from each customer's arrival.
review-notes = Observer notes
review-no-notes = No note.
review-facilitator = Facilitator
review-observer = Observer
review-seats = Each seat's debrief
review-seat-debrief = Debrief: { $seat }
