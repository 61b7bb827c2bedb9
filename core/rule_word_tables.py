"""The rules' words in each language (issue 18: rules return codes and parameters; the words are made at the edge).
One place for every sentence a rule can show, in every language of :data:`core.handover_word_tables.LANGUAGES`:

- :data:`SENTENCES`: the full sentence of each sentence key (a recommendation's or a guard reason's), a template with
  named ``{placeholders}`` filled from the parameters the rule took from the protocol and the records
  (core/rule_words.py renders them: ``span_*`` minutes as a span, ``limit_*`` minutes as a limit, ``event`` a
  premedication event, ``drug`` a drug's name, ``findings`` R-LAB-2 findings, ``more`` further sentences);
- :data:`CODE_SENTENCES`: the short sentence of each recommendation code (the ward list, an escalation's answer);
- :data:`MANAGEMENT`: the seed table's management for each CRS grade (RULES.md §0.1);
- :data:`DIFFERENTIAL`: the differential diagnoses of RULES.md §8;
- :data:`FINDINGS`: R-LAB-2's supporting findings.

Spanish follows the app's translations (resources/translations/crs_bedside_es.ts): "SLC", "prescriptor", "ficha
técnica" for the label, the formal imperative for what the nurse does.
"""

from __future__ import annotations

SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        # CRS (core/rules/guidance.py: R-MOD-1, R-MOD-2, D2, R-AST-1, R-AST-6, D5)
        "crs_discontinue_scales_differ": "CRS G{low} vs G{high} - prescriber decides: grade {high} on {scale} only, "
                                         "and the protocol discontinues blinatumomab permanently at grade "
                                         "{discontinue_grade}. Stop the infusion and contact the prescriber now. "
                                         "{dexamethasone}",
        "crs_discontinue": "CRS grade {grade}: label: discontinue blinatumomab permanently (protocol: at grade "
                           ">= {discontinue_grade}). Stop the infusion and contact the prescriber now. {dexamethasone}",
        "crs_interrupt": "CRS grade {grade}: interrupt the blinatumomab infusion (protocol: interrupt at grade "
                         ">= {interrupt_grade}) and contact the prescriber.",
        "crs_interrupt_severe": "CRS grade {grade}: interrupt the blinatumomab infusion (protocol: interrupt at grade "
                                ">= {interrupt_grade}) and contact the prescriber. {dexamethasone} {restart}",
        "dexamethasone_both": "Label: dexamethasone {mg:g} mg ({limit_kg:g} kg or more) or {mg_m2:g} mg/m2 (max "
                              "{mg:g} mg) (under {limit_kg:g} kg) every {every_h} h IV/PO for up to {days} days, then "
                              "taper over {taper_days} days.",
        "dexamethasone_adult": "Label: dexamethasone {mg:g} mg every {every_h} h IV/PO for up to {days} days, then "
                               "taper over {taper_days} days.",
        "dexamethasone_child": "Label: dexamethasone {mg_m2:g} mg/m2 (max {mg:g} mg) every {every_h} h IV/PO for up "
                               "to {days} days, then taper over {taper_days} days.",
        "restart_both": "When CRS resolves, restart at {dose:g} mcg/day, step up to {full:g} mcg/day ({limit_kg:g} kg "
                        "or more) or {dose_m2:g} mcg/m2/day, step up to {full_m2:g} mcg/m2/day (under {limit_kg:g} kg) "
                        "after {step_up_days:g} days without recurrence (prescriber to confirm).",
        "restart_fixed": "When CRS resolves, restart at {dose:g} mcg/day, step up to {full:g} mcg/day after "
                         "{step_up_days:g} days without recurrence (prescriber to confirm).",
        "restart_bsa": "When CRS resolves, restart at {dose_m2:g} mcg/m2/day, step up to {full_m2:g} mcg/m2/day after "
                       "{step_up_days:g} days without recurrence (prescriber to confirm).",
        "crs_emergency_review": "CRS grade {grade}: emergency medical review now.",
        "crs_consider_icu": "CRS grade {grade}: consider ICU (seed table).",
        "crs_notify": "CRS grade {grade}: notify the prescriber now.",
        "crs_fever": "CRS grade {grade} (fever): increase observations; antipyretics and supportive care; notify per "
                     "local policy.",
        "other_causes_not_graded": "Hypotension/hypoxia without fever: consider other causes (sepsis, bleeding, "
                                   "cardiac, pulmonary embolism) - not graded as CRS.",
        "other_causes_graded": "Hypotension/hypoxia without fever: ASTCT needs fever (no treatment for CRS yet in this "
                               "episode); consider other causes (sepsis, bleeding, cardiac, pulmonary embolism) as "
                               "well.",
        "record_fio2": "Record the FiO2 set on the oxygen device: CTCAE can only say grade >= 2 without it.",
        # NEWS2 (R-NEWS-2)
        "news2_high_review": "NEWS2 {score}: inform the medical team immediately; emergency assessment by a "
                             "critical-care-competent team; consider level 2/3 care.",
        "news2_high_observe": "NEWS2 {score} (emergency threshold): continuous monitoring of vital signs.",
        "news2_medium_notify": "NEWS2 {score}: inform the medical team immediately; urgent review by a clinician "
                               "competent in acute illness; monitored environment.",
        "news2_medium_observe": "NEWS2 {score} (urgent threshold): observations at least hourly.",
        "news2_red_notify": "NEWS2 {score} with a red parameter (score 3): inform the medical team, who review and "
                            "decide on escalation.",
        "news2_red_observe": "NEWS2 {score} with a red parameter: observations at least hourly.",
        # ICANS and the label's neurological rules (R-ICN-5, R-ICN-6, R-MOD-3, R-MOD-4)
        "seizure_discontinue": "Seizure number {seizures} in this course: the label discontinues blinatumomab "
                               "permanently. Contact the prescriber now.",
        "icans_discontinue": "ICANS grade {grade}: the label discontinues blinatumomab permanently. Contact the "
                             "prescriber now.",
        "icans_interrupt": "ICANS grade {grade}: withhold blinatumomab until grade <= 1 for at least {span_restart} "
                           "(label); contact the prescriber.",
        "icans_emergency_review": "ICANS grade {grade}: urgent medical review.",
        "icans_notify": "ICANS grade {grade}: notify the prescriber; repeat ICE assessment.",
        "icans_course_discontinue": "ICANS reached grade {grade} in this course: the label discontinues blinatumomab "
                                    "permanently (prescriber confirms).",
        "icans_restart_dose_discontinue": "ICANS grade >= {grade} began at {dose:g} mcg/day (the restart dose): the "
                                          "label discontinues blinatumomab permanently.",
        "icans_slow_resolution_discontinue": "ICANS grade >= {grade} took more than {span_limit} to resolve to grade "
                                             "<= 1: the label discontinues blinatumomab permanently.",
        "icans_restart_eligible": "ICANS grade <= 1 for {span_restart}: restart eligible at {dose:g} mcg/day "
                                  "(prescriber decides).",
        # The infusion (D2, R-INT-2, R-INT-3, R-MOD-5, R-PREMED, R-MOD-6, R-DOSE-3, R-BAG-1)
        "hold_discontinuation_review": "Infusion held for {days:.1f} days (more than {span_limit}): discontinuation "
                                       "review with the prescriber.",
        "hold_discontinuation_review_adverse": "Infusion held for {days:.1f} days (more than {span_limit}): "
                                               "discontinuation review with the prescriber. Label (R-MOD-5): if the "
                                               "adverse reaction took more than {span_limit} to resolve to grade <= 1, "
                                               "discontinue permanently.",
        "new_cycle_held": "Infusion held for more than {span_new_cycle}: a restart starts a new cycle - prescriber to "
                          "confirm new-cycle dosing.",
        "new_cycle_restarted": "Restarted after a hold of more than {span_new_cycle}: this is cycle {cycle} - "
                               "prescriber to confirm new-cycle dosing.",
        "new_cycle_boundary": "The hold is within {boundary_minutes} min of the {limit_new_cycle} limit "
                              "({new_cycle_minutes} min = same cycle, one minute more = new cycle): check the stop "
                              "and restart times.",
        "premedication_due": "Premedication due before {event} (protocol: corticosteroid within {window_minutes} min "
                             "before).{more}",
        "premedication_label": "Label: {drug} {dose_mg:g} mg IV {span_window} before {event}.",
        "premedication_label_bsa": "Label: {drug} {mg_m2:g} mg/m2 (max {max_mg:g} mg; BSA needed) IV {span_window} "
                                   "before {event}.",
        "premedication_label_not_mandated": "Not label-mandated for this indication/cycle; follow local protocol.",
        "supervision_restart": "Supervision/hospitalisation recommended for re-initiation.",
        "supervision_cycle_start": "Supervision/hospitalisation recommended for the cycle start.",
        "premedication_missing": "{at}: no premedication recorded before {event}.",
        "premedication_outside_window": "{at}: premedication {minutes_before:g} min before {event} (outside the "
                                        "premedication window).",
        "recurrence_review": "Recurrence since the restart: step-up suppressed - prescriber review.",
        "step_up_due": "Step-up to {dose:g} mcg/day due (prescriber to confirm) with premedication.",
        "dose_mismatch": "Running dose {dose:g} mcg/day differs from the expected {expected:g} mcg/day: check the bag "
                         "against the prescription.",
        "cycle_infusion_complete": "{days} days of infusion reached in cycle {cycle}: end of the cycle's infusion "
                                   "(prescriber confirms).",
        "bag_change_due": "Bag change due at {at} (hang time + labelled duration). Never flush the line.",
        # The CRS course (R-AST-7, R-MOD-2, R-AST-9)
        "episode_interrupt": "This CRS episode reached grade {grade}: interrupt the blinatumomab infusion (protocol: "
                             "interrupt at grade >= {interrupt_grade}) and contact the prescriber.",
        "episode_discontinue": "This CRS episode reached grade {grade}: the protocol discontinues blinatumomab "
                               "permanently (prescriber confirms).",
        "recurrence_discontinuation_review": "Recurrent CRS of grade >= {grade} ({episodes} episodes this course): "
                                             "discontinuation review with the prescriber.",
        # Labs (R-LAB-1, R-LAB-2)
        "crp_unreliable": "CRP unreliable after tocilizumab (IL-6 blockade): a falling or normal CRP is not "
                          "reassurance; screen for sepsis.",
        "possible_hlh": "Possible HLH/MAS/IEC-HS: ferritin {value:g} {unit} with {findings} - notify the prescriber.",
        # Closing the loop (INTERFACE.md Additions)
        "escalate_one": "Not acknowledged for {minutes} min ({count} prompt waiting): tell the nurse in charge.",
        "escalate_many": "Not acknowledged for {minutes} min ({count} prompts waiting): tell the nurse in charge.",
        # Guard reasons (core/rules/guard.py)
        "guard_discontinued": "Blinatumomab was discontinued for this patient.",
        "guard_discontinuation_open": "A permanent discontinuation is recommended and not yet decided.",
        "guard_crs": "CRS grade {grade}: the protocol interrupts the infusion at grade >= {interrupt_grade}.",
        "guard_icans": "ICANS grade {grade}: the label withholds the infusion at grade >= {interrupt_grade}.",
        "guard_premedication": "Premedication is due before {event}: record it first.",
        "guard_premedication_start": "Premedication is due before this start: record it first.",
    },
    "es": {
        "crs_discontinue_scales_differ": "SLC G{low} frente a G{high}; decide el prescriptor: grado {high} solo en "
                                         "{scale}, y el protocolo suspende blinatumomab definitivamente en grado "
                                         "{discontinue_grade}. Detenga la infusión y contacte ya con el prescriptor. "
                                         "{dexamethasone}",
        "crs_discontinue": "SLC grado {grade}: ficha técnica: suspender blinatumomab definitivamente (protocolo: en "
                           "grado >= {discontinue_grade}). Detenga la infusión y contacte ya con el prescriptor. "
                           "{dexamethasone}",
        "crs_interrupt": "SLC grado {grade}: interrumpa la infusión de blinatumomab (protocolo: interrumpir en "
                         "grado >= {interrupt_grade}) y contacte con el prescriptor.",
        "crs_interrupt_severe": "SLC grado {grade}: interrumpa la infusión de blinatumomab (protocolo: interrumpir en "
                                "grado >= {interrupt_grade}) y contacte con el prescriptor. {dexamethasone} {restart}",
        "dexamethasone_both": "Ficha técnica: dexametasona {mg:g} mg ({limit_kg:g} kg o más) o {mg_m2:g} mg/m2 (máx. "
                              "{mg:g} mg) (menos de {limit_kg:g} kg) cada {every_h} h IV/VO hasta {days} días; "
                              "después, descenso progresivo en {taper_days} días.",
        "dexamethasone_adult": "Ficha técnica: dexametasona {mg:g} mg cada {every_h} h IV/VO hasta {days} días; "
                               "después, descenso progresivo en {taper_days} días.",
        "dexamethasone_child": "Ficha técnica: dexametasona {mg_m2:g} mg/m2 (máx. {mg:g} mg) cada {every_h} h IV/VO "
                               "hasta {days} días; después, descenso progresivo en {taper_days} días.",
        "restart_both": "Cuando se resuelva el SLC, reiniciar a {dose:g} mcg/día y escalar a {full:g} mcg/día "
                        "({limit_kg:g} kg o más) o a {dose_m2:g} mcg/m2/día y escalar a {full_m2:g} mcg/m2/día (menos "
                        "de {limit_kg:g} kg) tras {step_up_days:g} días sin recurrencia (lo confirma el prescriptor).",
        "restart_fixed": "Cuando se resuelva el SLC, reiniciar a {dose:g} mcg/día y escalar a {full:g} mcg/día tras "
                         "{step_up_days:g} días sin recurrencia (lo confirma el prescriptor).",
        "restart_bsa": "Cuando se resuelva el SLC, reiniciar a {dose_m2:g} mcg/m2/día y escalar a {full_m2:g} "
                       "mcg/m2/día tras {step_up_days:g} días sin recurrencia (lo confirma el prescriptor).",
        "crs_emergency_review": "SLC grado {grade}: valoración médica urgente ya.",
        "crs_consider_icu": "SLC grado {grade}: valorar UCI (tabla de gradación).",
        "crs_notify": "SLC grado {grade}: avise ya al prescriptor.",
        "crs_fever": "SLC grado {grade} (fiebre): aumente la frecuencia de constantes; antitérmicos y medidas de "
                     "soporte; avise según la norma local.",
        "other_causes_not_graded": "Hipotensión/hipoxia sin fiebre: valore otras causas (sepsis, hemorragia, causa "
                                   "cardiaca, embolia pulmonar); no se gradúa como SLC.",
        "other_causes_graded": "Hipotensión/hipoxia sin fiebre: ASTCT exige fiebre (aún sin tratamiento del SLC en "
                               "este episodio); valore también otras causas (sepsis, hemorragia, causa cardiaca, "
                               "embolia pulmonar).",
        "record_fio2": "Registre la FiO2 fijada en el dispositivo de oxígeno: sin ella, CTCAE solo puede decir "
                       "grado >= 2.",
        "news2_high_review": "NEWS2 {score}: informe de inmediato al equipo médico; valoración de emergencia por un "
                             "equipo con competencias en críticos; valorar cuidados de nivel 2/3.",
        "news2_high_observe": "NEWS2 {score} (umbral de emergencia): monitorización continua de las constantes "
                              "vitales.",
        "news2_medium_notify": "NEWS2 {score}: informe de inmediato al equipo médico; valoración urgente por un "
                               "clínico con competencias en el paciente agudo; entorno monitorizado.",
        "news2_medium_observe": "NEWS2 {score} (umbral urgente): constantes al menos cada hora.",
        "news2_red_notify": "NEWS2 {score} con un parámetro rojo (3 puntos): informe al equipo médico, que valora y "
                            "decide si escalar.",
        "news2_red_observe": "NEWS2 {score} con un parámetro rojo: constantes al menos cada hora.",
        "seizure_discontinue": "Convulsión número {seizures} en este tratamiento: la ficha técnica suspende "
                               "blinatumomab definitivamente. Contacte ya con el prescriptor.",
        "icans_discontinue": "ICANS grado {grade}: la ficha técnica suspende blinatumomab definitivamente. Contacte ya "
                             "con el prescriptor.",
        "icans_interrupt": "ICANS grado {grade}: suspenda temporalmente blinatumomab hasta grado <= 1 durante al menos "
                           "{span_restart} (ficha técnica); contacte con el prescriptor.",
        "icans_emergency_review": "ICANS grado {grade}: valoración médica urgente.",
        "icans_notify": "ICANS grado {grade}: avise al prescriptor; repita la valoración ICE.",
        "icans_course_discontinue": "El ICANS llegó a grado {grade} en este tratamiento: la ficha técnica suspende "
                                    "blinatumomab definitivamente (lo confirma el prescriptor).",
        "icans_restart_dose_discontinue": "El ICANS de grado >= {grade} empezó a {dose:g} mcg/día (la dosis de "
                                          "reinicio): la ficha técnica suspende blinatumomab definitivamente.",
        "icans_slow_resolution_discontinue": "El ICANS de grado >= {grade} tardó más de {span_limit} en bajar a grado "
                                             "<= 1: la ficha técnica suspende blinatumomab definitivamente.",
        "icans_restart_eligible": "ICANS de grado <= 1 durante {span_restart}: puede reiniciarse a {dose:g} mcg/día "
                                  "(decide el prescriptor).",
        "hold_discontinuation_review": "Infusión interrumpida desde hace {days:.1f} días (más de {span_limit}): valore "
                                       "la suspensión con el prescriptor.",
        "hold_discontinuation_review_adverse": "Infusión interrumpida desde hace {days:.1f} días (más de "
                                               "{span_limit}): valore la suspensión con el prescriptor. Ficha técnica "
                                               "(R-MOD-5): si la reacción adversa tardó más de {span_limit} en bajar a "
                                               "grado <= 1, suspender definitivamente.",
        "new_cycle_held": "Infusión interrumpida más de {span_new_cycle}: reiniciar supone un ciclo nuevo; el "
                          "prescriptor confirma la dosis del nuevo ciclo.",
        "new_cycle_restarted": "Reiniciada tras una interrupción de más de {span_new_cycle}: es el ciclo {cycle}; el "
                               "prescriptor confirma la dosis del nuevo ciclo.",
        "new_cycle_boundary": "La interrupción está a {boundary_minutes} min o menos del límite {limit_new_cycle} "
                              "({new_cycle_minutes} min = mismo ciclo, un minuto más = ciclo nuevo): compruebe las "
                              "horas de parada y de reinicio.",
        "premedication_due": "Premedicación pendiente antes de {event} (protocolo: corticoide en los {window_minutes} "
                             "min previos).{more}",
        "premedication_label": "Ficha técnica: {drug} {dose_mg:g} mg IV {span_window} antes de {event}.",
        "premedication_label_bsa": "Ficha técnica: {drug} {mg_m2:g} mg/m2 (máx. {max_mg:g} mg; se necesita la SC) IV "
                                   "{span_window} antes de {event}.",
        "premedication_label_not_mandated": "La ficha técnica no la exige para esta indicación/ciclo; siga el "
                                            "protocolo local.",
        "supervision_restart": "Se recomienda supervisión/ingreso para el reinicio.",
        "supervision_cycle_start": "Se recomienda supervisión/ingreso para el inicio del ciclo.",
        "premedication_missing": "{at}: no consta premedicación antes de {event}.",
        "premedication_outside_window": "{at}: premedicación {minutes_before:g} min antes de {event} (fuera de la "
                                        "ventana de premedicación).",
        "recurrence_review": "Recurrencia desde el reinicio: escalada de dosis suspendida; revisión por el "
                             "prescriptor.",
        "step_up_due": "Corresponde la escalada a {dose:g} mcg/día (la confirma el prescriptor), con premedicación.",
        "dose_mismatch": "La dosis en curso, {dose:g} mcg/día, no coincide con la esperada, {expected:g} mcg/día: "
                         "compruebe la bolsa con la prescripción.",
        "cycle_infusion_complete": "{days} días de infusión alcanzados en el ciclo {cycle}: fin de la infusión del "
                                   "ciclo (lo confirma el prescriptor).",
        "bag_change_due": "Cambio de bolsa previsto: {at} (hora de colocación + duración etiquetada). No lave nunca "
                          "la vía.",
        "episode_interrupt": "Este episodio de SLC llegó a grado {grade}: interrumpa la infusión de blinatumomab "
                             "(protocolo: interrumpir en grado >= {interrupt_grade}) y contacte con el prescriptor.",
        "episode_discontinue": "Este episodio de SLC llegó a grado {grade}: el protocolo suspende blinatumomab "
                               "definitivamente (lo confirma el prescriptor).",
        "recurrence_discontinuation_review": "SLC recurrente de grado >= {grade} ({episodes} episodios en este "
                                             "tratamiento): valore la suspensión con el prescriptor.",
        "crp_unreliable": "PCR poco fiable tras tocilizumab (bloqueo de IL-6): una PCR que baja o es normal no "
                          "tranquiliza; descarte sepsis.",
        "possible_hlh": "Posible HLH/SAM/IEC-HS: ferritina {value:g} {unit} con {findings}; avise al prescriptor.",
        "escalate_one": "Sin respuesta en {minutes} min ({count} aviso pendiente): avise a la enfermera responsable.",
        "escalate_many": "Sin respuesta en {minutes} min ({count} avisos pendientes): avise a la enfermera "
                         "responsable.",
        "guard_discontinued": "Blinatumomab se suspendió para este paciente.",
        "guard_discontinuation_open": "Se recomienda la suspensión definitiva y aún no se ha decidido.",
        "guard_crs": "SLC grado {grade}: el protocolo interrumpe la infusión en grado >= {interrupt_grade}.",
        "guard_icans": "ICANS grado {grade}: la ficha técnica suspende temporalmente la infusión en grado "
                       ">= {interrupt_grade}.",
        "guard_premedication": "Corresponde premedicación antes de {event}: regístrela primero.",
        "guard_premedication_start": "Corresponde premedicación antes de este inicio: regístrela primero.",
    },
}

#: The short sentence of each recommendation code (the ward list; what an escalation answered), ``{span_window}``
#: the protocol's premedication window.
CODE_SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "interrupt_infusion": "Interrupt the blinatumomab infusion (protocol) and contact the prescriber.",
        "discontinue_permanently": "The protocol discontinues blinatumomab permanently: stop the infusion and contact "
                                   "the prescriber now.",
        "discontinuation_review": "Discontinuation review with the prescriber.",
        "new_cycle_required": "A restart starts a new cycle: the prescriber confirms new-cycle dosing.",
        "give_premedication": "Premedication due: dexamethasone per protocol, {span_window} before (prescriber's "
                              "order).",
        "notify_prescriber": "Notify the prescriber now.",
        "emergency_review": "Emergency medical review now.",
        "consider_icu": "Consider ICU.",
        "increase_observations": "Increase observations; antipyretics and supportive care; notify per local policy.",
        "record_fio2": "Record the FiO2 set on the oxygen device.",
        "consider_other_causes": "Hypotension/hypoxia without fever: consider other causes - not graded as CRS.",
        "step_up_due": "Dose step-up due (prescriber to confirm) with premedication.",
        "recurrence_prescriber_review": "CRS recurred since the restart: step-up suppressed - prescriber review.",
        "premedication_timing": "Check the premedication timing.",
        "crp_unreliable": "CRP unreliable after tocilizumab: a normal CRP is not reassurance; screen for sepsis.",
        "possible_hlh": "Possible HLH/MAS/IEC-HS: notify the prescriber.",
        "bag_change_due": "Infusion bag change due.",
        "new_cycle_boundary": "The hold is close to the new-cycle limit (one minute more is a new cycle): check the "
                              "stop and restart times.",
        "dose_mismatch": "The running dose differs from the expected dose: check the bag against the prescription.",
        "cycle_infusion_complete": "The days of infusion of this cycle are reached: end of the cycle's infusion "
                                   "(prescriber confirms).",
        "restart_eligible": "ICANS grade 1 or less for long enough: restart eligible at the reduced dose (prescriber "
                            "decides).",
        "escalate_unacknowledged": "Not acknowledged in time: tell the nurse in charge.",
    },
    "es": {
        "interrupt_infusion": "Interrumpa la infusión de blinatumomab (protocolo) y contacte con el prescriptor.",
        "discontinue_permanently": "El protocolo suspende blinatumomab de forma definitiva: detenga la infusión y "
                                   "contacte ya con el prescriptor.",
        "discontinuation_review": "Valorar la suspensión con el prescriptor.",
        "new_cycle_required": "Reiniciar supone un ciclo nuevo: el prescriptor confirma la dosis del nuevo ciclo.",
        "give_premedication": "Premedicación pendiente: dexametasona según protocolo, {span_window} antes (según "
                              "prescripción).",
        "notify_prescriber": "Avise ya al prescriptor.",
        "emergency_review": "Valoración médica urgente ya.",
        "consider_icu": "Valorar UCI.",
        "increase_observations": "Aumente la frecuencia de constantes; antitérmicos y medidas de soporte; avise según "
                                 "la norma local.",
        "record_fio2": "Registre la FiO2 fijada en el dispositivo de oxígeno.",
        "consider_other_causes": "Hipotensión/hipoxia sin fiebre: valore otras causas; no se gradúa como SLC.",
        "step_up_due": "Corresponde la escalada de dosis (la confirma el prescriptor), con premedicación.",
        "recurrence_prescriber_review": "El SLC ha recurrido desde el reinicio: escalada de dosis suspendida; "
                                        "revisión por el prescriptor.",
        "premedication_timing": "Compruebe el horario de la premedicación.",
        "crp_unreliable": "PCR poco fiable tras tocilizumab: una PCR normal no tranquiliza; descarte sepsis.",
        "possible_hlh": "Posible HLH/SAM/IEC-HS: avise al prescriptor.",
        "bag_change_due": "Corresponde cambiar la bolsa de infusión.",
        "new_cycle_boundary": "La interrupción está cerca del límite de ciclo nuevo (un minuto más es un ciclo nuevo): "
                              "compruebe las horas de parada y de reinicio.",
        "dose_mismatch": "La dosis en curso no coincide con la esperada: compruebe la bolsa con la prescripción.",
        "cycle_infusion_complete": "Se han alcanzado los días de infusión de este ciclo: fin de la infusión del ciclo "
                                   "(el prescriptor confirma).",
        "restart_eligible": "ICANS de grado 1 o menor durante el tiempo necesario: puede reiniciarse a la dosis "
                            "reducida (decide el prescriptor).",
        "escalate_unacknowledged": "Sin respuesta a tiempo: avise a la enfermera responsable.",
    },
}

#: Management shown to the nurse for each CRS grade: the seed's grading table (RULES.md §0.1); ``{sbp}`` is the
#: patient's own hypotension limit (D4, R-AST-3: the protocol's adult limit, or 70 + 2 x age for a child).
MANAGEMENT: dict[str, dict[int, str]] = {
    "en": {
        0: "No CRS features: continue routine observations.",
        1: "Antipyretics, antihistamines, analgesics, maintenance IV fluids.",
        2: "IV fluid bolus to keep SBP >= {sbp} mmHg; oxygen to keep SpO2 > 90 %; consider steroids for high-risk "
           "patients (advanced age, cardiorespiratory disease).",
        3: "Consider ICU; fluids and oxygen to the grade-2 targets; low-dose pressor; steroids +/- tocilizumab.",
        4: "ICU; mechanical ventilation; multiple high-dose pressors; steroids +/- tocilizumab.",
        5: "Death attributed to CRS recorded by a clinician.",
    },
    "es": {
        0: "Sin signos de SLC: continúe con las constantes habituales.",
        1: "Antitérmicos, antihistamínicos, analgésicos, sueroterapia IV de mantenimiento.",
        2: "Bolo de líquidos IV para mantener PAS >= {sbp} mmHg; oxígeno para mantener SpO2 > 90 %; valorar "
           "corticoides en pacientes de alto riesgo (edad avanzada, enfermedad cardiorrespiratoria).",
        3: "Valorar UCI; líquidos y oxígeno con los objetivos del grado 2; vasopresor a dosis baja; corticoides +/- "
           "tocilizumab.",
        4: "UCI; ventilación mecánica; varios vasopresores a dosis altas; corticoides +/- tocilizumab.",
        5: "Muerte atribuida a SLC registrada por un clínico.",
    },
}

#: Differential diagnoses to list when CRS-like features appear (RULES.md §8, seed §3.8): code -> words.
DIFFERENTIAL: dict[str, dict[str, str]] = {
    "en": {
        "sepsis": "sepsis or febrile neutropenia",
        "infusion_reaction": "infusion reaction",
        "capillary_leak": "capillary leak syndrome",
        "hlh_mas": "HLH/MAS/IEC-HS",
        "dic": "DIC",
        "tumour_lysis": "tumour lysis syndrome",
        "hypovolaemia_bleeding": "hypovolaemia or bleeding",
        "drug_transfusion_reaction": "drug or transfusion reaction",
        "adrenal_insufficiency": "adrenal insufficiency after steroids",
        "cardiac": "cardiac causes",
        "pulmonary_embolism": "pulmonary embolism",
        "disease_progression": "disease progression",
    },
    "es": {
        "sepsis": "sepsis o neutropenia febril",
        "infusion_reaction": "reacción infusional",
        "capillary_leak": "síndrome de fuga capilar",
        "hlh_mas": "HLH/SAM/IEC-HS",
        "dic": "CID",
        "tumour_lysis": "síndrome de lisis tumoral",
        "hypovolaemia_bleeding": "hipovolemia o hemorragia",
        "drug_transfusion_reaction": "reacción a fármacos o a transfusión",
        "adrenal_insufficiency": "insuficiencia suprarrenal tras corticoides",
        "cardiac": "causas cardiacas",
        "pulmonary_embolism": "embolia pulmonar",
        "disease_progression": "progresión de la enfermedad",
    },
}

#: R-LAB-2's supporting findings (core/rules/labs.py codes).
FINDINGS: dict[str, dict[str, str]] = {
    "en": {"low_fibrinogen": "low fibrinogen", "new_cytopenia": "new cytopenia", "rising_alt": "rising ALT"},
    "es": {"low_fibrinogen": "fibrinógeno bajo", "new_cytopenia": "citopenia nueva", "rising_alt": "ALT en aumento"},
}
