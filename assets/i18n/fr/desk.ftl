# Textes de la console du stagiaire (français). Les clés sont les mêmes dans en/desk.ftl.

## Écran d'accueil
app-title = raleur
app-tagline = Entraînez-vous à répondre aux clients en colère sur les réseaux sociaux.
trainee-name = Nom du stagiaire
trainee-name-hint = Prénom et nom
language = Langue
mode = Mode
mode-training = Entraînement (colère des clients et conseils visibles)
mode-exam = Examen (sans aide)
seed = Graine
scenario = Scénario
scenario-facts = Difficulté { $difficulty }/5 · { $minutes } min simulées · { $team ->
        [1] un conseiller
       *[other] équipe de { $team }
    }
scenario-competitor = { $brand } face à { $competitor } ({ $handle })
crowd = Foule
crowd-solo = Pour une personne : environ { $per_hour } clients par heure
crowd-team = { $team ->
        [1] Pour un conseiller
       *[other] Pour l'équipe de { $team }
    } : environ { $per_hour } clients par heure
crowd-cell = En cellule de crise : vous et { $colleagues } collègues scriptés, pour l'équipe de { $team } : environ { $per_hour } clients par heure
top-crowd-solo = Seul·e · environ { $per_hour } clients/h
top-crowd-team = { $team ->
        [1] Un conseiller
       *[other] Équipe de { $team }
    } · environ { $per_hour } clients/h
top-crowd-cell = Cellule de { $team } · environ { $per_hour } clients/h
learning-goals = Objectifs pédagogiques
start = Commencer la session
error-no-name = Indiquez votre nom pour commencer.
error-no-scenario = Aucun scénario n'est disponible.

## Barre du haut
pause = ⏸ Pause
resume = ▶ Reprendre
autoplay-label = Démonstration : équipe « { $policy } »
counter-waiting = en attente
counter-answered = répondus
counter-churned = résiliés
counter-ambassadors = ambassadeurs
buzz = Bad buzz
buzz-explained = L'indice de bad buzz additionne ce que le public a vu de la crise : chaque message public d'un client et chacun de ses partages, pondérés par l'audience de l'auteur et sa colère au moment d'écrire ; il s'estompe avec le temps. Même une session calme le fait monter un peu : une réponse n'efface pas un message déjà lu, elle évite les relances, les interpellations et les partages qui s'y ajouteraient.
pause-key = Ctrl+P
next-waiting = ⏭ Suivant
next-waiting-key = Ouvrir la conversation qui attend depuis le plus longtemps (Ctrl+N)
open-debrief = Débriefing
weekday-0 = lun.
weekday-1 = mar.
weekday-2 = mer.
weekday-3 = jeu.
weekday-4 = ven.
weekday-5 = sam.
weekday-6 = dim.

## File des conversations
queue-title = Conversations
filter-open = Ouvertes
filter-unanswered = Sans réponse
filter-public = Publiques
filter-private = Privées
filter-all = Toutes
channel-all = Tous réseaux
channel-twitter = Twitter
channel-facebook = Facebook
show-feed = Fil public
queue-empty = Aucune conversation pour ces filtres.
waiting-min = attend depuis { $minutes } min
answered = répondu
closed = clos
held-by-you = Vous répondez à ce client.
held-by-other = { $seat } répond à ce client.
held-by-nobody = Personne ne répond encore à ce client.
claim = Prendre la conversation
release = Rendre à l'équipe
hand-over = Passer à…
cue-private = Passé en message privé
cue-capitals = Écrit en majuscules
cue-exclamations = Points d'exclamation en série
cue-emoticons = Émoticônes
cue-followups = Relances

## Conversation
conversation-none = Choisissez une conversation dans la file.
thread-twitter = Fil Twitter public
thread-facebook = Commentaires Facebook
thread-private = Messages privés
thread-empty = Aucun message.
moderate-hide = 🙈 Masquer
moderate-hide-help = Masquer ce commentaire du public : pour des coordonnées écrites en public ou une insulte. Masquer une simple plainte passe pour de la censure.
moderate-like = 👍 J'aime
moderate-like-help = Aimer ce commentaire : un remerciement, oui ; une plainte, jamais (cela passe pour de la moquerie).
moderate-liked = 👍 aimé
hidden = (masqué)
promo-posts = Publications de la marque
feed-account-care = service client
feed-account-corporate = marque
feed-title = Fil public de la marque

## Fiche client
card-title = Fiche client
card-none = Aucun client sélectionné.
account-twitter-care = Twitter, compte service client
account-twitter-corporate = Twitter, compte institutionnel
account-facebook-care = Facebook, page service client
account-facebook-corporate = Facebook, page de la marque
followers = { $count ->
        [one] { $count } abonné
       *[other] { $count } abonnés
    }
history = Historique avec la marque
history-messages = { $posts ->
        [one] { $posts } message
       *[other] { $posts } messages
    }, { $replies ->
        [one] { $replies } réponse reçue
       *[other] { $replies } réponses reçues
    }, { $followups ->
        [one] { $followups } relance
       *[other] { $followups } relances
    }
history-since = Premier message il y a { $minutes } min
stage-open = Dossier ouvert, en public
stage-private = Dossier ouvert, en message privé
stage-transferred = Transmis au service { $service }
stage-resolved = Résolu
stage-churned = A résilié
stage-abandoned = A abandonné
details-given = Informations données
anger = Colère : { $value }/100
lesson = Leçon

## Rédaction
composer-none = Sélectionnez une conversation pour répondre.
reply-to = Répondre à { $handle }
public = Public
private = Privé
sign-off = Signature
composer-hint = Votre réponse…
send-key = Ctrl+Entrée pour envoyer
send = Envoyer
transfer = Transmettre à
pick-service = choisir un service
transfer-send = Transmettre le dossier
hint-politeness = Politesse { $score }/100
error-no-conversation = Choisissez d'abord une conversation.
error-no-service = Choisissez le service à qui transmettre.
error-missing-unticked = { $service } a besoin de : { $details }. Le client vous l'a donné : cochez-le avant de transmettre.
error-missing-not-given = { $service } a besoin de : { $details }, que le client ne vous a pas encore donné : demandez-le en message privé.
error-no-private = { $handle } ne vous a pas encore écrit en privé : invitez d'abord ce client à passer en message privé.
error-already-transferred = Le dossier de { $handle } est déjà chez un service.
error-case-closed = Le dossier de { $handle } est clos.
error-held-by = { $seat } répond déjà à { $handle } : laissez-lui la conversation ou demandez-lui de vous la passer.
error-detail-not-collected = Le client ne vous a pas donné « { $detail } » : demandez-le en message privé.

## Débriefing
debrief-title = Débriefing
debrief-subtitle = { $trainee } · { $scenario } · graine { $seed }
resume-session = Reprendre la session
back-to-menu = Nouvelle session
export-json = Exporter en JSON
export-html = Exporter en HTML
exported = Enregistré : { $path }
scores = Scores par compétence
score-overall = Note globale
score-speed = Rapidité
score-civil = Compétence civile
score-technical = Compétence technique
score-contractual = Compétence contractuelle
score-redirection = Redirection
score-outcomes = Issues (résiliations, buzz)
score-tone = Ton (politesse)
score-answered = Clients répondus (%)
outcomes-line = { $customers } clients · { $churned } résiliations · { $ambassadors } ambassadeurs · pic de buzz { $buzz }
advice = Conseils
advice-none = Rien à signaler : bravo.
advice-count = { $count } fois, { $points ->
        [one] { $points } point perdu
       *[other] { $points } points perdus
    }
advice-general = Conseil général : c'est votre compétence la plus faible.
charts = La session dans le temps
chart-waiting = Clients en attente
chart-buzz = Indice de buzz
chart-anger = Colère moyenne
chart-response = Délai de première réponse (min)
minutes = minutes
replies = Vos réponses, les plus coûteuses d'abord
conversation-summary = { $replies ->
        [0] jamais répondu
        [one] { $replies } réponse
       *[other] { $replies } réponses
    }, { $points ->
        [one] { $points } point perdu
       *[other] { $points } points perdus
    }
conversation-pick = Choisissez une conversation pour relire vos réponses.

team = La cellule
team-line = { $collisions } collisions, { $handoffs } passages de main, { $shared } conversations tenues à plusieurs
team-seat = Poste
team-replies = Réponses
team-first = Premières réponses
team-first-value = { $count } · médiane { $seconds } s
team-civil = Civilité
team-handoffs = Passées / reçues
team-collisions = { $count } collisions

crisis = Communication de crise
crisis-line = { $score }/100 · { $in_time } escalades à temps sur { $due } · { $articles } articles
crisis-row = { $incident } sur { $channel } : première déclaration { $first } (norme { $norm } min), qualité { $quality }, { $missed } points promis manqués sur { $promised }
crisis-first = à { $minutes } min
crisis-none = aucune

statement-open = Déclaration publique…
statement-title = Déclaration publique
statement-channel = Réseau :
statement-count = { $count } / { $limit } caractères
statement-quality = Qualité de la déclaration : { $quality }/100
statement-publish = Publier et épingler
statement-published = Déclaration publiée et épinglée sur { $channel }.
statement-pinned = Épinglé sur { $channel } · { $time }
escalate = Remonter à :
escalated-to = Remonté : { $desk }
desk-crisis-cell = Cellule de crise
desk-press-office = Service de presse
desk-legal = Service juridique

## The academy: progress through the curriculum and recorded sessions
course-title = Votre progression · { $course }
course-enter-name = Saisissez votre nom pour voir votre progression.
course-new-trainee = Nouveau stagiaire : vous serez inscrit à votre première session.
course-unavailable = Registre de l'académie indisponible : { $error }
course-level-passed = ✔ { $level }
course-level-current = ▶ { $level }
course-level-locked = ○ { $level }
course-exam = en mode examen
course-next = Prochaine session : { $scenario }, graine { $seed }
course-best-lacks = Meilleure tentative, en dessous du seuil : { $lacks }
course-prepare = Préparer cette session
course-complete = Tous les niveaux sont validés : votre passeport numérique peut être délivré.
session-interrupted = ⚠ La dernière session ({ $trainee }, { $scenario }) s'est arrêtée sur une erreur interne du poste : « { $reason } ». Les { $events } évènements joués sont conservés dans le registre de l'académie ; vous pouvez reprendre une nouvelle session.
session-stopped = ⚠ La session s'est arrêtée sur une erreur interne du poste : « { $reason } ».
recording-failed = Session non enregistrée : { $error }
recording-on = Session enregistrée dans le registre de l'académie
error-course-scenario = Le scénario de cette session n'est pas dans la bibliothèque ouverte (version différente ?).

## A seat of a team exercise (raleur play --join)
remote-seat = Votre poste : { $seat }
remote-waiting = ⏳ En attente : l'animateur n'a pas lancé l'exercice
remote-running = ▶ En direct · ×{ $speed }
remote-paused = ⏸ En pause (animateur)
remote-ended = ■ Exercice terminé
remote-lost = ⚠ Connexion perdue, reconnexion…
remote-offline = Pas de connexion au serveur de l'exercice : l'action n'est pas partie. Réessayez dans un instant.

## The after-action review of a team exercise (raleur serve).
review-title = Retour d'expérience
review-subtitle = { $scenario } · graine { $seed } · { $minutes } { $minutes ->
        [one] minute simulée
       *[other] minutes simulées
    } · exercice { $exercise }
review-team-scores = Scores de l'équipe
review-injects = Événements déclenchés et réponse de l'équipe
review-no-injects = Aucun événement n'a été déclenché.
review-at = Heure
review-inject = Événement
review-customers = Clients amenés
review-first-reply = Première réponse au premier client
review-all-answered = Tous répondus en
review-answered-of = { $answered } sur { $count } répondus
review-injects-help = Les heures comptent depuis le début de l'exercice ; les délais, depuis l'arrivée de chaque client.
review-notes = Notes des observateurs
review-no-notes = Aucune note.
review-facilitator = Animateur
review-observer = Observateur
review-seats = Le débriefing de chaque poste
review-seat-debrief = Débriefing : { $seat }
