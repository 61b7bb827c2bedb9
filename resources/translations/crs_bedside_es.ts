<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AccountDialog</name>
    <message>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>e.g. amy.lee (lower case)</source>
        <translation>p. ej. ana.lopez (en minúsculas)</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Nombre completo</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Nombre de usuario:</translation>
    </message>
    <message>
        <source>&amp;Full name:</source>
        <translation>Nombre &amp;completo:</translation>
    </message>
    <message>
        <source>Account:</source>
        <translation>Cuenta:</translation>
    </message>
    <message>
        <source>&amp;Nurse (records observations)</source>
        <translation>&amp;Enfermería (registra constantes)</translation>
    </message>
    <message>
        <source>&amp;Clinician (confirms grades, closes CRS episodes)</source>
        <translation>&amp;Médico (confirma grados, cierra episodios de SLC)</translation>
    </message>
    <message>
        <source>&amp;Admin (manages accounts)</source>
        <translation>&amp;Administración (gestiona cuentas)</translation>
    </message>
    <message>
        <source>New PIN (hidden)</source>
        <translation>PIN nuevo (oculto)</translation>
    </message>
    <message>
        <source>New PIN again (hidden)</source>
        <translation>PIN nuevo otra vez (oculto)</translation>
    </message>
    <message>
        <source>&amp;PIN (6 or more characters):</source>
        <translation>&amp;PIN (6 caracteres o más):</translation>
    </message>
    <message>
        <source>PIN &amp;again:</source>
        <translation>PIN &amp;otra vez:</translation>
    </message>
    <message>
        <source>Account message</source>
        <translation>Mensaje de la cuenta</translation>
    </message>
    <message>
        <source>The two PINs differ; type them again.</source>
        <translation>Los dos PIN no coinciden; escríbalos de nuevo.</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>Entered</source>
        <translation>Introducido</translation>
    </message>
    <message>
        <source>Entered by</source>
        <translation>Introducido por</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Happened</source>
        <translation>Ocurrió</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Superseded by</source>
        <translation>Anulado por</translation>
    </message>
    <message>
        <source>strikes out %1: %2</source>
        <translation>anula %1: %2</translation>
    </message>
    <message>
        <source>(record says %1)</source>
        <translation>(el registro dice %1)</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Struck out: entered in error (it stays visible).</source>
        <translation>Tachado: introducido por error (sigue visible).</translation>
    </message>
    <message>
        <source>(struck out)</source>
        <translation>(tachado)</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>Audit trail, in order of entry</source>
        <translation>Registro de auditoría, en orden de entrada</translation>
    </message>
    <message>
        <source>Every entry in the order it was made. Nothing is ever changed or deleted: a correction is a new entry, and the entry it strikes out stays here, struck through.</source>
        <translation>Cada entrada en el orden en que se hizo. Nada se cambia ni se borra nunca: una corrección es una entrada nueva, y la entrada que anula sigue aquí, tachada.</translation>
    </message>
</context>
<context>
    <name>ClinicianEntryDialog</name>
    <message>
        <source>CRS grade</source>
        <translation>Grado de SLC</translation>
    </message>
    <message>
        <source>Computed now:</source>
        <translation>Calculado ahora:</translation>
    </message>
    <message>
        <source>&amp;Grade (0–5):</source>
        <translation>&amp;Grado (0–5):</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>&amp;Reason (required):</source>
        <translation>&amp;Motivo (obligatorio):</translation>
    </message>
    <message>
        <source>PIN to sign</source>
        <translation>PIN para firmar</translation>
    </message>
    <message>
        <source>&amp;PIN (your electronic signature):</source>
        <translation>&amp;PIN (su firma electrónica):</translation>
    </message>
    <message>
        <source>Entry message</source>
        <translation>Mensaje de la entrada</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>Mark entered in error</source>
        <translation>Marcar como registro erróneo</translation>
    </message>
    <message>
        <source>This record stays in the list, struck through, with your reason:</source>
        <translation>El registro se queda en la lista, tachado, con su motivo:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motivo:</translation>
    </message>
    <message>
        <source>Reason the record is wrong</source>
        <translation>Motivo por el que el registro es erróneo</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>The database file cannot be used.</source>
        <translation>No se puede usar el archivo de la base de datos.</translation>
    </message>
    <message>
        <source>CRS Bedside has not changed the file and has not made a new one in its place. Nothing was recorded.</source>
        <translation>CRS Bedside no ha modificado el archivo ni ha creado otro en su lugar. No se ha registrado nada.</translation>
    </message>
    <message>
        <source>Check the file name and that no other copy of CRS Bedside has it open. If the file is damaged, restore the latest backup or call clinic IT, and tell them the details below.</source>
        <translation>Compruebe el nombre del archivo y que ninguna otra copia de CRS Bedside lo tenga abierto. Si el archivo está dañado, restaure la última copia de seguridad o llame a informática y facilite los detalles de abajo.</translation>
    </message>
    <message>
        <source>The entry was not accepted.</source>
        <translation>No se ha aceptado la entrada.</translation>
    </message>
    <message>
        <source>Nothing was recorded.</source>
        <translation>No se ha registrado nada.</translation>
    </message>
    <message>
        <source>Correct the value named below and try again.</source>
        <translation>Corrija el valor indicado abajo y vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>Something went wrong inside CRS Bedside.</source>
        <translation>Algo ha fallado dentro de CRS Bedside.</translation>
    </message>
    <message>
        <source>The last action may not have been completed. Records already saved are safe.</source>
        <translation>Puede que la última acción no se haya completado. Los registros ya guardados están a salvo.</translation>
    </message>
    <message>
        <source>Check the patient&apos;s records list before repeating the action. If it happens again, call clinic IT and give them the details below.</source>
        <translation>Revise la lista de registros del paciente antes de repetir la acción. Si vuelve a ocurrir, llame a informática y facilite los detalles de abajo.</translation>
    </message>
    <message>
        <source>CRS Bedside – problem</source>
        <translation>CRS Bedside – problema</translation>
    </message>
    <message>
        <source>What to do:</source>
        <translation>Qué hacer:</translation>
    </message>
    <message>
        <source>The ward protocol cannot be used.</source>
        <translation>No se puede usar el protocolo de la planta.</translation>
    </message>
    <message>
        <source>CRS Bedside has not started; nothing was recorded.</source>
        <translation>CRS Bedside no se ha iniciado; no se ha registrado nada.</translation>
    </message>
    <message>
        <source>Check the --protocol option and the protocol file named below, or ask clinic IT for the signed-off protocol.</source>
        <translation>Compruebe la opción --protocol y el archivo de protocolo indicado abajo, o pida a informática el protocolo aprobado.</translation>
    </message>
    <message>
        <source>Your role does not allow this action.</source>
        <translation>Su función no permite esta acción.</translation>
    </message>
    <message>
        <source>Ask a colleague with the right role (the details below say which), or sign in as them with File &gt; Lock / switch user.</source>
        <translation>Pida ayuda a un colega con la función adecuada (los detalles dicen cuál), o que inicie sesión con Archivo &gt; Bloquear / cambiar de usuario.</translation>
    </message>
    <message>
        <source>Sign-in failed.</source>
        <translation>No se pudo iniciar sesión.</translation>
    </message>
    <message>
        <source>Check the user name and PIN, or ask an admin to reset the PIN.</source>
        <translation>Compruebe el nombre de usuario y el PIN, o pida a un administrador que restablezca el PIN.</translation>
    </message>
    <message>
        <source>CRS Bedside – the database was changed outside the app</source>
        <translation>CRS Bedside – la base de datos se modificó fuera de la aplicación</translation>
    </message>
    <message>
        <source>This database has been changed outside CRS Bedside.</source>
        <translation>Esta base de datos se ha modificado fuera de CRS Bedside.</translation>
    </message>
    <message>
        <source>Found: %1 (%2 more problem(s)).</source>
        <translation>Encontrado: %1 (%2 problema(s) más).</translation>
    </message>
    <message>
        <source>What it means: records may have been changed, added or removed by another program. Nothing has been repaired, and nothing was changed by opening it.</source>
        <translation>Qué significa: otro programa puede haber cambiado, añadido o eliminado registros. No se ha reparado nada, y abrirla no cambió nada.</translation>
    </message>
    <message>
        <source>What to do: contact clinic IT and the ward manager now. They compare the file with the latest backup and restore it if records were lost. If you must keep working meanwhile, open it and check every figure against the paper chart; the warning stays in the status bar.</source>
        <translation>Qué hacer: avise ya a informática y a la supervisión de la planta. Compararán el archivo con la última copia de seguridad y la restaurarán si se perdieron registros. Si mientras tanto debe seguir trabajando, ábrala y compruebe cada cifra con la gráfica en papel; el aviso permanece en la barra de estado.</translation>
    </message>
    <message>
        <source>&amp;Open anyway, reading carefully</source>
        <translation>&amp;Abrir de todos modos, leyendo con cuidado</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>This database is already open in another CRS Bedside window.</source>
        <translation>Esta base de datos ya está abierta en otra ventana de CRS Bedside.</translation>
    </message>
    <message>
        <source>Only one window or command may use a database at a time. CRS Bedside has not touched the file and has not started.</source>
        <translation>Solo una ventana u orden puede usar una base de datos a la vez. CRS Bedside no ha tocado el archivo y no se ha iniciado.</translation>
    </message>
    <message>
        <source>Switch to the other CRS Bedside window (it may be behind others, or on another user&apos;s session on this computer), or wait for the command to finish, then start again.</source>
        <translation>Vaya a la otra ventana de CRS Bedside (puede estar detrás de otras, o en la sesión de otro usuario de este ordenador), o espere a que termine la orden, y vuelva a iniciar.</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>Merge from another laptop</source>
        <translation>Fusionar desde otro portátil</translation>
    </message>
    <message>
        <source>CRS Bedside export (*.json)</source>
        <translation>Exportación de CRS Bedside (*.json)</translation>
    </message>
    <message>
        <source>Merged. Patients added: %1 · records added: %2 · records already here: %3.</source>
        <translation>Fusión hecha. Pacientes añadidos: %1 · registros añadidos: %2 · registros ya presentes: %3.</translation>
    </message>
    <message>
        <source>Differences in patient details kept for review: %1.</source>
        <translation>Diferencias en los datos del paciente guardadas para revisión: %1.</translation>
    </message>
    <message>
        <source>Export for the EHR (FHIR R4)</source>
        <translation>Exportar para la historia clínica (FHIR R4)</translation>
    </message>
    <message>
        <source>FHIR R4 Bundle (*.json)</source>
        <translation>Bundle FHIR R4 (*.json)</translation>
    </message>
    <message>
        <source>Exporting for the EHR…</source>
        <translation>Exportando para la historia clínica…</translation>
    </message>
    <message>
        <source>Exported %1 FHIR resources to %2</source>
        <translation>Exportados %1 recursos FHIR a %2</translation>
    </message>
    <message>
        <source>The export for the EHR was not written.</source>
        <translation>No se ha escrito la exportación para la historia clínica.</translation>
    </message>
    <message>
        <source>Nothing in the database was changed.</source>
        <translation>No se ha cambiado nada en la base de datos.</translation>
    </message>
    <message>
        <source>Check that the folder can be written to and has space, then try again.</source>
        <translation>Compruebe que se puede escribir en la carpeta y que hay espacio, y vuelva a intentarlo.</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>Create the administrator – CRS Bedside</source>
        <translation>Crear el administrador – CRS Bedside</translation>
    </message>
    <message>
        <source>The administrator adds the ward&apos;s accounts (nurses, clinicians) and resets forgotten PINs. From now on everyone signs in with a user name and PIN, and every entry carries the account that made it. This cannot be undone for this database.</source>
        <translation>El administrador crea las cuentas de la planta (enfermería, médicos) y restablece los PIN olvidados. A partir de ahora todos inician sesión con nombre de usuario y PIN, y cada entrada lleva la cuenta que la hizo. Esto no se puede deshacer en esta base de datos.</translation>
    </message>
    <message>
        <source>&amp;Create administrator</source>
        <translation>&amp;Crear administrador</translation>
    </message>
</context>
<context>
    <name>GuardBox</name>
    <message>
        <source>Why this start is stopped</source>
        <translation>Por qué se detiene este inicio</translation>
    </message>
    <message>
        <source>Clinician&apos;s reason to go ahead</source>
        <translation>Motivo del clínico para continuar</translation>
    </message>
    <message>
        <source>Prescriber who ordered it</source>
        <translation>Prescriptor que lo ordenó</translation>
    </message>
    <message>
        <source>Your PIN, to sign the confirmation</source>
        <translation>Su PIN, para firmar la confirmación</translation>
    </message>
    <message>
        <source>Record the &amp;premedication first…</source>
        <translation>Registrar primero la &amp;premedicación…</translation>
    </message>
    <message>
        <source>Clinician&apos;s &amp;reason to go ahead</source>
        <translation>&amp;Motivo del clínico para continuar</translation>
    </message>
    <message>
        <source>&amp;Ordered by (prescriber)</source>
        <translation>&amp;Ordenado por (prescriptor)</translation>
    </message>
    <message>
        <source>Your P&amp;IN (signs it)</source>
        <translation>Su P&amp;IN (lo firma)</translation>
    </message>
    <message>
        <source>Not saved: a clinician confirms with a reason (signed in as a clinician, or naming the prescriber who ordered it).</source>
        <translation>No guardado: un clínico lo confirma con un motivo (con sesión de clínico, o nombrando al prescriptor que lo ordenó).</translation>
    </message>
</context>
<context>
    <name>HandoverActions</name>
    <message>
        <source>Handover saved: %1</source>
        <translation>Relevo guardado: %1</translation>
    </message>
    <message>
        <source>The handover could not be made.</source>
        <translation>No se pudo preparar el relevo.</translation>
    </message>
    <message>
        <source>Nothing was printed or saved.</source>
        <translation>No se imprimió ni se guardó nada.</translation>
    </message>
    <message>
        <source>Try again; if it fails again, tell clinic IT.</source>
        <translation>Inténtelo de nuevo; si vuelve a fallar, avise al servicio de informática.</translation>
    </message>
    <message>
        <source>Save the handover as PDF</source>
        <translation>Guardar el relevo como PDF</translation>
    </message>
</context>
<context>
    <name>HandoverController</name>
    <message>
        <source>Preparing the handover…</source>
        <translation>Preparando el relevo…</translation>
    </message>
    <message>
        <source>Writing the handover PDF…</source>
        <translation>Escribiendo el PDF del relevo…</translation>
    </message>
    <message>
        <source>Drawing the handover pages…</source>
        <translation>Dibujando las páginas del relevo…</translation>
    </message>
    <message>
        <source>Handover preview</source>
        <translation>Vista previa del relevo</translation>
    </message>
    <message>
        <source>Handover</source>
        <translation>Relevo</translation>
    </message>
    <message>
        <source>The handover could not be made: %1</source>
        <translation>No se pudo hacer el relevo: %1</translation>
    </message>
</context>
<context>
    <name>InfusionActionDialog</name>
    <message>
        <source>bed %1, %2</source>
        <extracomment>Up to four digits and two decimals: bag doses reach 1000 mcg, drug doses 5000 mg (core refuses what is beyond). Action -&gt; the record type it appends. Action -&gt; its fields, in the order typed.</extracomment>
        <translation>cama %1, %2</translation>
    </message>
    <message>
        <source>Bed %1 · %2 · %3</source>
        <translation>Cama %1 · %2 · %3</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>Hint for %1</source>
        <translation>Ayuda para %1</translation>
    </message>
    <message>
        <source>Message for %1</source>
        <translation>Mensaje para %1</translation>
    </message>
    <message>
        <source>Dose per day</source>
        <translation>Dosis al día</translation>
    </message>
    <message>
        <source>Time it happened</source>
        <translation>Hora en que ocurrió</translation>
    </message>
    <message>
        <source>&amp;Time</source>
        <translation>&amp;Hora</translation>
    </message>
    <message>
        <source>now, or earlier if it happened before</source>
        <translation>ahora, o antes si ocurrió antes</translation>
    </message>
    <message>
        <source>Message for the time</source>
        <translation>Mensaje para la hora</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Cancel without saving</source>
        <translation>Cancelar sin guardar</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Save: %1</source>
        <translation>Guardar: %1</translation>
    </message>
    <message>
        <source>Start infusion</source>
        <translation>Iniciar la infusión</translation>
    </message>
    <message>
        <source>Stop infusion</source>
        <translation>Detener la infusión</translation>
    </message>
    <message>
        <source>Resume infusion</source>
        <translation>Reanudar la infusión</translation>
    </message>
    <message>
        <source>Change bag</source>
        <translation>Cambiar la bolsa</translation>
    </message>
    <message>
        <source>Give premedication</source>
        <translation>Administrar premedicación</translation>
    </message>
    <message>
        <source>Discontinue therapy</source>
        <translation>Suspender el tratamiento</translation>
    </message>
    <message>
        <source>%1, more than %2 and at most %3</source>
        <translation>%1, más de %2 y como máximo %3</translation>
    </message>
    <message>
        <source>%1, %2 to %3</source>
        <translation>%1, de %2 a %3</translation>
    </message>
    <message>
        <source>&amp;Dose in the bag</source>
        <translation>&amp;Dosis en la bolsa</translation>
    </message>
    <message>
        <source>mcg blinatumomab (pharmacy label)</source>
        <translation>mcg de blinatumomab (etiqueta de farmacia)</translation>
    </message>
    <message>
        <source>D&amp;uration of the bag</source>
        <translation>D&amp;uración de la bolsa</translation>
    </message>
    <message>
        <source>hours (pharmacy label)</source>
        <translation>horas (etiqueta de farmacia)</translation>
    </message>
    <message>
        <source>empty: the next cycle</source>
        <translation>vacío: el ciclo siguiente</translation>
    </message>
    <message>
        <source>cycle number</source>
        <translation>número de ciclo</translation>
    </message>
    <message>
        <source>C&amp;ycle</source>
        <translation>C&amp;iclo</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>&amp;Motivo</translation>
    </message>
    <message>
        <source>every reason but &apos;cycle complete&apos; starts a hold</source>
        <translation>todo motivo salvo &apos;ciclo completo&apos; abre una interrupción</translation>
    </message>
    <message>
        <source>as the prescriber documented it</source>
        <translation>tal como lo documentó el prescriptor</translation>
    </message>
    <message>
        <source>label: %1 %2 mg</source>
        <translation>ficha técnica: %1 %2 mg</translation>
    </message>
    <message>
        <source>D&amp;rug</source>
        <translation>&amp;Fármaco</translation>
    </message>
    <message>
        <source>D&amp;ose given</source>
        <translation>D&amp;osis administrada</translation>
    </message>
    <message>
        <source>mg</source>
        <translation>mg</translation>
    </message>
    <message>
        <source>label: %1 mcg/day reduced, %2 mcg/day full</source>
        <translation>ficha técnica: %1 mcg/día reducida, %2 mcg/día completa</translation>
    </message>
    <message>
        <source>expected now: %1 mcg/day</source>
        <translation>esperada ahora: %1 mcg/día</translation>
    </message>
    <message>
        <source>= %1 mcg/day</source>
        <translation>= %1 mcg/día</translation>
    </message>
    <message>
        <source>%1 is in the future: it cannot be recorded ahead of time</source>
        <translation>%1 está en el futuro: no se puede registrar por adelantado</translation>
    </message>
    <message>
        <source>is required</source>
        <translation>es obligatorio</translation>
    </message>
    <message>
        <source>%1 is outside the allowed range (%2)</source>
        <translation>%1 está fuera del intervalo permitido (%2)</translation>
    </message>
    <message>
        <source>not a number</source>
        <translation>no es un número</translation>
    </message>
</context>
<context>
    <name>InfusionPanel</name>
    <message>
        <source>Infusion</source>
        <extracomment>The hold counter and its countdowns move every minute. What each infusion state (core: ``infusion.state``) allows. Not a clinical decision: which record can follow.</extracomment>
        <translation>Infusión</translation>
    </message>
    <message>
        <source>Infusion summary</source>
        <translation>Resumen de la infusión</translation>
    </message>
    <message>
        <source>Hold counter</source>
        <translation>Contador de interrupciones</translation>
    </message>
    <message>
        <source>Infusion prompts</source>
        <translation>Avisos de la infusión</translation>
    </message>
    <message>
        <source>Course status</source>
        <translation>Estado del tratamiento</translation>
    </message>
    <message>
        <source>Last saved</source>
        <translation>Último guardado</translation>
    </message>
    <message>
        <source>&amp;Start infusion…</source>
        <translation>&amp;Iniciar la infusión…</translation>
    </message>
    <message>
        <source>St&amp;op infusion…</source>
        <translation>Dete&amp;ner la infusión…</translation>
    </message>
    <message>
        <source>&amp;Resume infusion…</source>
        <translation>&amp;Reanudar la infusión…</translation>
    </message>
    <message>
        <source>Change &amp;bag…</source>
        <translation>Cambiar la &amp;bolsa…</translation>
    </message>
    <message>
        <source>Give pre&amp;medication…</source>
        <translation>Administrar pre&amp;medicación…</translation>
    </message>
    <message>
        <source>&amp;Discontinue therapy…</source>
        <translation>&amp;Suspender el tratamiento…</translation>
    </message>
    <message>
        <source>Cycle %1, day %2</source>
        <translation>Ciclo %1, día %2</translation>
    </message>
    <message>
        <source>infused %1 h this cycle</source>
        <translation>%1 h infundidas en este ciclo</translation>
    </message>
    <message>
        <source>%1 mcg/day</source>
        <translation>%1 mcg/día</translation>
    </message>
    <message>
        <source>was %1 mcg/day</source>
        <translation>era %1 mcg/día</translation>
    </message>
    <message>
        <source>bag change due %1</source>
        <translation>cambio de bolsa previsto %1</translation>
    </message>
    <message>
        <source>step-up due %1</source>
        <translation>escalada de dosis prevista %1</translation>
    </message>
    <message>
        <source>inpatient period (label)</source>
        <translation>periodo de ingreso (ficha técnica)</translation>
    </message>
    <message>
        <source>supervision recommended for the (re)start</source>
        <translation>se recomienda supervisión para el (re)inicio</translation>
    </message>
    <message>
        <source>No infusion recorded yet.</source>
        <translation>Aún no hay infusión registrada.</translation>
    </message>
    <message>
        <source>Holds this cycle: %1</source>
        <translation>Interrupciones en este ciclo: %1</translation>
    </message>
    <message>
        <source>total held: %1</source>
        <translation>total interrumpido: %1</translation>
    </message>
    <message>
        <source>current hold: %1 (started %2)</source>
        <translation>interrupción actual: %1 (desde %2)</translation>
    </message>
    <message>
        <source>Course: %1</source>
        <translation>Tratamiento: %1</translation>
    </message>
    <message>
        <source>For clinicians: rule %1</source>
        <translation>Para clínicos: regla %1</translation>
    </message>
    <message>
        <source>No infusion prompts.</source>
        <translation>Sin avisos de la infusión.</translation>
    </message>
    <message>
        <source>discontinued</source>
        <translation>suspendido</translation>
    </message>
    <message>
        <source>discontinuation recommended (prescriber confirms)</source>
        <translation>suspensión recomendada (el prescriptor confirma)</translation>
    </message>
    <message>
        <source>discontinuation review</source>
        <translation>valorar la suspensión</translation>
    </message>
    <message>
        <source>active</source>
        <translation>activo</translation>
    </message>
    <message>
        <source>%1: your role cannot enter records</source>
        <translation>%1: su rol no permite registrar</translation>
    </message>
    <message>
        <source>%1: not available while the infusion is %2</source>
        <translation>%1: no disponible mientras la infusión está %2</translation>
    </message>
    <message>
        <source>Saved: %1 at %2.</source>
        <translation>Guardado: %1, %2.</translation>
    </message>
</context>
<context>
    <name>InfusionTimeline</name>
    <message>
        <source>Infusion timeline</source>
        <extracomment>The previous cycle is drawn too while the current one is younger than this (a long hold shows before it). Premedication given this long before the first start still belongs on the strip. Room after &quot;now&quot; so the next hours (bag change, limits) are on the strip.</extracomment>
        <translation>Cronología de la infusión</translation>
    </message>
    <message>
        <source>new cycle</source>
        <translation>ciclo nuevo</translation>
    </message>
    <message>
        <source>review</source>
        <translation>revisión</translation>
    </message>
    <message>
        <source>now (ongoing)</source>
        <translation>ahora (en curso)</translation>
    </message>
    <message>
        <source>from %1 to %2, %3</source>
        <translation>de %1 a %2, %3</translation>
    </message>
    <message>
        <source>%1 mcg/day</source>
        <translation>%1 mcg/día</translation>
    </message>
    <message>
        <source>Running at %1</source>
        <translation>En curso a %1</translation>
    </message>
    <message>
        <source>HELD: %1</source>
        <translation>INTERRUMPIDA: %1</translation>
    </message>
    <message>
        <source>Held for %1</source>
        <translation>Interrumpida por %1</translation>
    </message>
    <message>
        <source>Discontinued: %1</source>
        <translation>Suspendida: %1</translation>
    </message>
    <message>
        <source>%1 at %2: %3</source>
        <translation>%1 el %2: %3</translation>
    </message>
    <message>
        <source>CRS G%1</source>
        <translation>SLC G%1</translation>
    </message>
    <message>
        <source>now (open)</source>
        <translation>ahora (abierto)</translation>
    </message>
    <message>
        <source>CRS episode, highest grade %1, from %2 to %3</source>
        <translation>Episodio de SLC, grado máximo %1, de %2 a %3</translation>
    </message>
    <message>
        <source>No infusion recorded yet.</source>
        <translation>Aún no hay infusión registrada.</translation>
    </message>
    <message>
        <source>From %1 to %2; now %3.</source>
        <translation>De %1 a %2; ahora %3.</translation>
    </message>
    <message>
        <source>Cycle %1 started %2.</source>
        <translation>El ciclo %1 empezó %2.</translation>
    </message>
    <message>
        <source>Hold limit (%1) at %2.</source>
        <translation>Límite de interrupción (%1): %2.</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Locked</source>
        <translation>Bloqueado</translation>
    </message>
    <message>
        <source>CRS Bedside is locked. Patient data is hidden until someone signs in. Entries already saved are safe.</source>
        <translation>CRS Bedside está bloqueado. Los datos de los pacientes quedan ocultos hasta que alguien inicie sesión. Las entradas ya guardadas están a salvo.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in – CRS Bedside</source>
        <translation>Iniciar sesión – CRS Bedside</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Base de datos: %1</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CRS Bedside</source>
        <translation>CRS Bedside</translation>
    </message>
    <message>
        <source>DEMO WARD</source>
        <translation>PLANTA DE DEMOSTRACIÓN</translation>
    </message>
    <message>
        <source>&amp;Audit</source>
        <translation>&amp;Auditoría</translation>
    </message>
</context>
<context>
    <name>MergePreviewDialog</name>
    <message>
        <source>Merge from another laptop</source>
        <translation>Fusionar desde otro portátil</translation>
    </message>
    <message>
        <source>Nothing has been written yet. Merging adds the records this laptop does not have; records already here are skipped, and this laptop&apos;s patient details are never overwritten.</source>
        <translation>Todavía no se ha escrito nada. La fusión añade los registros que este portátil no tiene; los que ya están aquí se omiten y los datos de los pacientes de este portátil nunca se sobrescriben.</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>new: %1 · already here: %2</source>
        <translation>nuevos: %1 · ya presentes: %2</translation>
    </message>
    <message>
        <source>Patients</source>
        <translation>Pacientes</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Registros</translation>
    </message>
    <message>
        <source>New patients:</source>
        <translation>Pacientes nuevos:</translation>
    </message>
    <message>
        <source>New patients</source>
        <translation>Pacientes nuevos</translation>
    </message>
    <message>
        <source>Differences kept for review</source>
        <translation>Diferencias guardadas para revisión</translation>
    </message>
    <message>
        <source>Differences no record explains (this laptop&apos;s details stay; the other version is kept for an admin or clinician to settle on the patient page):</source>
        <translation>Diferencias que ningún registro explica (se mantienen los datos de este portátil; la otra versión se guarda para que un administrador o clínico la resuelva en la página del paciente):</translation>
    </message>
    <message>
        <source>No differences in patient details.</source>
        <translation>No hay diferencias en los datos de los pacientes.</translation>
    </message>
    <message>
        <source>%1 %2: here %3, in the file %4</source>
        <translation>%1 %2: aquí %3, en el archivo %4</translation>
    </message>
    <message>
        <source>&amp;Merge</source>
        <translation>&amp;Fusionar</translation>
    </message>
</context>
<context>
    <name>PatientActions</name>
    <message>
        <source>Choose a patient first.</source>
        <translation>Elija primero un paciente.</translation>
    </message>
    <message>
        <source>Vitals saved.</source>
        <translation>Constantes guardadas.</translation>
    </message>
    <message>
        <source>Bed %1 · %2</source>
        <translation>Cama %1 · %2</translation>
    </message>
    <message>
        <source>Confirm the computed CRS grade of %1, or override it. Give the reason: the computed grade and yours are both kept.</source>
        <translation>Confirme el grado de SLC calculado de %1, o modifíquelo. Indique el motivo: se guardan el grado calculado y el suyo.</translation>
    </message>
    <message>
        <source>Confirm or override the CRS grade</source>
        <translation>Confirmar o modificar el grado de SLC</translation>
    </message>
    <message>
        <source>Close the open CRS episode of %1. From now on a new fever opens a new episode, and the fever waiver after CRS treatment (R-AST-2) no longer applies.</source>
        <translation>Cerrar el episodio de SLC abierto de %1. A partir de ahora una fiebre nueva abre un episodio nuevo, y la exención de fiebre tras el tratamiento del SLC (R-AST-2) deja de aplicarse.</translation>
    </message>
    <message>
        <source>Close the CRS episode</source>
        <translation>Cerrar el episodio de SLC</translation>
    </message>
    <message>
        <source>CRS grade confirmation saved.</source>
        <translation>Confirmación del grado de SLC guardada.</translation>
    </message>
    <message>
        <source>CRS episode closed.</source>
        <translation>Episodio de SLC cerrado.</translation>
    </message>
</context>
<context>
    <name>PatientPage</name>
    <message>
        <source>Patient</source>
        <extracomment>The shown patient&apos;s records, kept up to date by reading only those entered since (``_last_seq``).</extracomment>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>Patient details</source>
        <translation>Datos del paciente</translation>
    </message>
    <message>
        <source>← &amp;Ward</source>
        <translation>← &amp;Planta</translation>
    </message>
    <message>
        <source>Back to the ward list</source>
        <translation>Volver a la lista de la planta</translation>
    </message>
    <message>
        <source>Back to the ward (Esc)</source>
        <translation>Volver a la planta (Esc)</translation>
    </message>
    <message>
        <source>Record &amp;vitals…</source>
        <translation>Registrar &amp;constantes…</translation>
    </message>
    <message>
        <source>Record a set of vitals</source>
        <translation>Registrar un juego de constantes</translation>
    </message>
    <message>
        <source>Record vitals (Ctrl+R)</source>
        <translation>Registrar constantes (Ctrl+R)</translation>
    </message>
    <message>
        <source>Differences from another laptop, not yet settled</source>
        <translation>Diferencias con otro portátil, aún sin resolver</translation>
    </message>
    <message>
        <source>Patient views</source>
        <translation>Vistas del paciente</translation>
    </message>
    <message>
        <source>&amp;Trend</source>
        <translation>&amp;Tendencia</translation>
    </message>
    <message>
        <source>Re&amp;cords</source>
        <translation>Re&amp;gistros</translation>
    </message>
    <message>
        <source>&amp;Infusion</source>
        <translation>&amp;Infusión</translation>
    </message>
    <message>
        <source>Bed %1 · %2</source>
        <extracomment>The banner takes at most this share of the split at first; the nurse can drag the handle for more.</extracomment>
        <translation>Cama %1 · %2</translation>
    </message>
    <message>
        <source>%1 years</source>
        <translation>%1 años</translation>
    </message>
    <message>
        <source>risk: %1</source>
        <translation>riesgo: %1</translation>
    </message>
    <message>
        <source>DEMO</source>
        <translation>DEMO</translation>
    </message>
    <message>
        <source>%1 here %2, on %3 %4</source>
        <translation>%1 aquí %2, en %3 %4</translation>
    </message>
    <message>
        <source>Details differ from another laptop, not yet settled: %1. An admin or clinician settles them by editing the patient.</source>
        <translation>Hay datos distintos en otro portátil, aún sin resolver: %1. Un administrador o clínico los resuelve editando el paciente.</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <source>The language changes the next time CRS Bedside starts.</source>
        <translation>El idioma cambia la próxima vez que se inicie CRS Bedside.</translation>
    </message>
    <message>
        <source>Text size: %1 %</source>
        <translation>Tamaño del texto: %1 %</translation>
    </message>
</context>
<context>
    <name>Printers</name>
    <message>
        <source>The printer %1 is not accepting jobs, so nothing was printed. Ask IT to let it accept jobs again (cupsaccept %1), or save the handover as a PDF.</source>
        <translation>La impresora %1 no acepta trabajos, así que no se imprimió nada. Pida a informática que vuelva a aceptar trabajos (cupsaccept %1), o guarde el relevo como PDF.</translation>
    </message>
    <message>
        <source>The printer %1 is paused, so nothing was printed. Resume it in the printer settings (cupsenable %1), or save the handover as a PDF.</source>
        <translation>La impresora %1 está en pausa, así que no se imprimió nada. Reanúdela en la configuración de impresoras (cupsenable %1), o guarde el relevo como PDF.</translation>
    </message>
    <message>
        <source>No printer is set up on this computer, so nothing was printed. Ask IT to add one, or save the handover as a PDF.</source>
        <translation>No hay ninguna impresora configurada en este equipo, así que no se imprimió nada. Pida a informática que añada una, o guarde el relevo como PDF.</translation>
    </message>
    <message>
        <source>No printer is the default on this computer, so nothing was printed. Name one of these with --printer: %1.</source>
        <translation>Ninguna impresora es la predeterminada en este equipo, así que no se imprimió nada. Indique una de estas con --printer: %1.</translation>
    </message>
    <message>
        <source>--printer: there is no printer named %1 on this computer, so nothing was printed. The printers are: %2.</source>
        <translation>--printer: no hay ninguna impresora llamada %1 en este equipo, así que no se imprimió nada. Las impresoras son: %2.</translation>
    </message>
</context>
<context>
    <name>RecordsTableModel</name>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>Registrado por</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Entered in error: %1 (%2, %3)</source>
        <translation>Registro erróneo: %1 (%2, %3)</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>Corrección</translation>
    </message>
    <message>
        <source>entered %1</source>
        <translation>introducido %1</translation>
    </message>
    <message>
        <source>%1 (entered in error)</source>
        <translation>%1 (registro erróneo)</translation>
    </message>
</context>
<context>
    <name>RecordsView</name>
    <message>
        <source>Records, newest first</source>
        <translation>Registros, los más recientes primero</translation>
    </message>
    <message>
        <source>Mark &amp;entered in error…</source>
        <translation>Marcar como &amp;erróneo…</translation>
    </message>
    <message>
        <source>Mark the selected record entered in error</source>
        <translation>Marcar como erróneo el registro seleccionado</translation>
    </message>
    <message>
        <source>Records message</source>
        <translation>Mensaje de los registros</translation>
    </message>
    <message>
        <source>Choose a record first.</source>
        <translation>Elija primero un registro.</translation>
    </message>
    <message>
        <source>This record is already a correction or already marked.</source>
        <translation>Este registro ya es una corrección o ya está marcado.</translation>
    </message>
    <message>
        <source>Marked entered in error.</source>
        <translation>Marcado como erróneo.</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <source>Recovery key – CRS Bedside</source>
        <translation>Clave de recuperación – CRS Bedside</translation>
    </message>
    <message>
        <source>The database is now encrypted. Write down its recovery key.</source>
        <translation>La base de datos ya está cifrada. Anote su clave de recuperación.</translation>
    </message>
    <message>
        <source>This key is shown only now. Give it to clinic IT to keep on paper, away from this computer. If every PIN is lost, it is the only way back into the records.</source>
        <translation>Esta clave solo se muestra ahora. Entréguela a informática de la clínica para que la guarde en papel, lejos de este ordenador. Si se pierden todos los PIN, es la única forma de volver a acceder a los registros.</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Clave de recuperación</translation>
    </message>
    <message>
        <source>These accounts sign in once on an open session (or an admin resets their PIN) before they can start CRS Bedside: %1</source>
        <translation>Estas cuentas deben iniciar sesión una vez en una sesión abierta (o un administrador debe restablecer su PIN) antes de poder iniciar CRS Bedside: %1</translation>
    </message>
    <message>
        <source>I have &amp;written the recovery key down</source>
        <translation>He &amp;anotado la clave de recuperación</translation>
    </message>
</context>
<context>
    <name>Round</name>
    <message>
        <source>Admit a patient</source>
        <extracomment>The form&apos;s fields, in the order typed (every field of the patient a nurse enters).</extracomment>
        <translation>Ingresar a un paciente</translation>
    </message>
    <message>
        <source>Edit details – %1</source>
        <translation>Editar datos – %1</translation>
    </message>
    <message>
        <source>Transfer – %1</source>
        <translation>Traslado – %1</translation>
    </message>
    <message>
        <source>letters, digits, . _ - (at most 32)</source>
        <translation>letras, dígitos, . _ - (como máximo 32)</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-DD</translation>
    </message>
    <message>
        <source>not a number</source>
        <translation>no es un número</translation>
    </message>
    <message>
        <source>answered %1 by %2: %3 – %4</source>
        <extracomment>A prompt answered by the record it asks for: the form that records it (an infusion action, or the vitals wizard).</extracomment>
        <translation>respondido %1 por %2: %3 – %4</translation>
    </message>
    <message>
        <source>Answer prompts – bed %1, %2</source>
        <translation>Responder avisos – cama %1, %2</translation>
    </message>
    <message>
        <source>Tick the prompts this call answers (Space ticks), then say whom you called and what they did. Declining needs the reason in the note.</source>
        <translation>Marque los avisos que responde esta llamada (Espacio marca) y diga a quién llamó y qué hizo. Rechazar exige el motivo en la nota.</translation>
    </message>
    <message>
        <source>Prompts this answers</source>
        <translation>Avisos que responde</translation>
    </message>
    <message>
        <source>Message for the prompts</source>
        <translation>Mensaje sobre los avisos</translation>
    </message>
    <message>
        <source>&amp;Who was called (name)</source>
        <translation>&amp;A quién se llamó (nombre)</translation>
    </message>
    <message>
        <source>Import %1</source>
        <translation>Importar %1</translation>
    </message>
    <message>
        <source>What the file will add</source>
        <translation>Lo que añadirá el archivo</translation>
    </message>
    <message>
        <source>Why the file cannot be imported</source>
        <translation>Por qué no se puede importar el archivo</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importar</translation>
    </message>
    <message>
        <source>Nothing was written.</source>
        <translation>No se escribió nada.</translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>Archivo: %1</translation>
    </message>
    <message>
        <source>New patients: %1 · already here: %2</source>
        <translation>Pacientes nuevos: %1 · ya presentes: %2</translation>
    </message>
    <message>
        <source>New records: %1 · already stored: %2</source>
        <translation>Registros nuevos: %1 · ya guardados: %2</translation>
    </message>
    <message>
        <source>Everything in this file is already here: importing adds nothing.</source>
        <translation>Todo lo de este archivo ya está aquí: importar no añade nada.</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importar…</translation>
    </message>
    <message>
        <source>Only clinicians and admins import files; you are signed in as %1.</source>
        <translation>Solo clínicos y administradores importan archivos; su sesión es de %1.</translation>
    </message>
    <message>
        <source>&amp;Admit…</source>
        <translation>&amp;Ingresar…</translation>
    </message>
    <message>
        <source>Edit &amp;details…</source>
        <translation>Editar &amp;datos…</translation>
    </message>
    <message>
        <source>&amp;Transfer…</source>
        <translation>&amp;Trasladar…</translation>
    </message>
    <message>
        <source>Disc&amp;harge…</source>
        <translation>Dar de &amp;alta…</translation>
    </message>
    <message>
        <source>Answer prompts (&amp;escalation)…</source>
        <translation>Responder avisos (&amp;escalada)…</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>Re&amp;gistrar</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Guardado.</translation>
    </message>
    <message>
        <source>Answer saved.</source>
        <translation>Respuesta guardada.</translation>
    </message>
    <message>
        <source>Patient admitted.</source>
        <translation>Paciente ingresado.</translation>
    </message>
    <message>
        <source>Details saved.</source>
        <translation>Datos guardados.</translation>
    </message>
    <message>
        <source>Import a file</source>
        <translation>Importar un archivo</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Archivos JSON (*.json)</translation>
    </message>
    <message>
        <source>Imported: %1 patients, %2 records (%3 already stored).</source>
        <translation>Importado: %1 pacientes, %2 registros (%3 ya guardados).</translation>
    </message>
    <message>
        <source>Round: Ctrl+N admits, Ctrl+Shift+E edits the details, Ctrl+Shift+T transfers, Ctrl+Shift+D discharges; Ctrl+K answers prompts; Record menu: Ctrl+B bolus, Ctrl+M CRS treatment, Ctrl+Shift+V / Ctrl+Alt+V vasopressor started / stopped, Ctrl+Shift+O oxygen, Ctrl+Shift+R lab, Ctrl+J ICE/neuro, Ctrl+Y symptom, Ctrl+Shift+N note, Ctrl+D observations not done; Ctrl+Shift+I imports a file. On the ward, type or scan an MRN and press Enter.</source>
        <translation>Ronda: Ctrl+N ingresa, Ctrl+Shift+E edita los datos, Ctrl+Shift+T traslada, Ctrl+Shift+D da de alta; Ctrl+K responde avisos; menú Registrar: Ctrl+B bolo, Ctrl+M tratamiento del SLC, Ctrl+Shift+V / Ctrl+Alt+V vasopresor iniciado / retirado, Ctrl+Shift+O oxígeno, Ctrl+Shift+R laboratorio, Ctrl+J ICE/neurológica, Ctrl+Y síntoma, Ctrl+Shift+N nota, Ctrl+D observaciones no realizadas; Ctrl+Shift+I importa un archivo. En la planta, escriba o escanee un NHC y pulse Intro.</translation>
    </message>
    <message>
        <source>Time it happened</source>
        <extracomment>A number as a nurse types it: digits, one decimal mark (``.`` or ``,``); core checks the range.</extracomment>
        <translation>Hora en que ocurrió</translation>
    </message>
    <message>
        <source>&amp;Time</source>
        <translation>&amp;Hora</translation>
    </message>
    <message>
        <source>now, or earlier if it happened before</source>
        <translation>ahora, o antes si ocurrió antes</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Save: %1</source>
        <translation>Guardar: %1</translation>
    </message>
    <message>
        <source>%1–%2 %3</source>
        <translation>%1–%2 %3</translation>
    </message>
    <message>
        <source>Message for %1</source>
        <translation>Mensaje para %1</translation>
    </message>
    <message>
        <source>&amp;Volume</source>
        <translation>&amp;Volumen</translation>
    </message>
    <message>
        <source>&amp;Drug</source>
        <translation>&amp;Fármaco</translation>
    </message>
    <message>
        <source>D&amp;ose</source>
        <translation>D&amp;osis</translation>
    </message>
    <message>
        <source>&amp;Agent</source>
        <translation>&amp;Agente</translation>
    </message>
    <message>
        <source>Oxygen &amp;device</source>
        <translation>&amp;Dispositivo de oxígeno</translation>
    </message>
    <message>
        <source>&amp;Flow</source>
        <translation>&amp;Flujo</translation>
    </message>
    <message>
        <source>F&amp;iO2</source>
        <translation>F&amp;iO2</translation>
    </message>
    <message>
        <source>For &amp;comfort only</source>
        <translation>Solo para &amp;confort</translation>
    </message>
    <message>
        <source>T&amp;est</source>
        <translation>&amp;Prueba</translation>
    </message>
    <message>
        <source>&amp;Value</source>
        <translation>&amp;Valor</translation>
    </message>
    <message>
        <source>&amp;Unit</source>
        <translation>&amp;Unidad</translation>
    </message>
    <message>
        <source>&amp;ICE score</source>
        <translation>Puntuación &amp;ICE</translation>
    </message>
    <message>
        <source>&amp;Arousal</source>
        <translation>&amp;Despertar</translation>
    </message>
    <message>
        <source>&amp;Seizure</source>
        <translation>&amp;Convulsión</translation>
    </message>
    <message>
        <source>&amp;Motor weakness</source>
        <translation>Debilidad &amp;motora</translation>
    </message>
    <message>
        <source>Cerebral &amp;oedema</source>
        <translation>&amp;Edema cerebral</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nombre</translation>
    </message>
    <message>
        <source>N&amp;ote</source>
        <translation>N&amp;ota</translation>
    </message>
    <message>
        <source>&amp;Text</source>
        <translation>&amp;Texto</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>&amp;Motivo</translation>
    </message>
    <message>
        <source>&amp;MRN</source>
        <translation>&amp;NHC</translation>
    </message>
    <message>
        <source>Date of &amp;birth</source>
        <translation>Fecha de &amp;nacimiento</translation>
    </message>
    <message>
        <source>Se&amp;x</source>
        <translation>Se&amp;xo</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>&amp;Peso</translation>
    </message>
    <message>
        <source>&amp;Height</source>
        <translation>&amp;Talla</translation>
    </message>
    <message>
        <source>&amp;Indication</source>
        <translation>&amp;Indicación</translation>
    </message>
    <message>
        <source>Dia&amp;gnosis</source>
        <translation>Dia&amp;gnóstico</translation>
    </message>
    <message>
        <source>W&amp;ard</source>
        <translation>Pl&amp;anta</translation>
    </message>
    <message>
        <source>&amp;Bed</source>
        <translation>&amp;Cama</translation>
    </message>
    <message>
        <source>Marrow b&amp;lasts</source>
        <translation>&amp;Blastos en médula</translation>
    </message>
    <message>
        <source>&amp;Called</source>
        <translation>&amp;Llamado</translation>
    </message>
    <message>
        <source>&amp;Response</source>
        <translation>&amp;Respuesta</translation>
    </message>
    <message>
        <source>bed %1, %2</source>
        <extracomment>Every kind of record the Record menu offers (the vitals set and the infusion have their own forms).</extracomment>
        <translation>cama %1, %2</translation>
    </message>
    <message>
        <source>MRN (type or scan)</source>
        <translation>NHC (escriba o escanee)</translation>
    </message>
    <message>
        <source>type or scan, then Enter</source>
        <translation>escriba o escanee y pulse Intro</translation>
    </message>
    <message>
        <source>&amp;MRN:</source>
        <translation>&amp;NHC:</translation>
    </message>
    <message>
        <source>MRN message</source>
        <translation>Mensaje del NHC</translation>
    </message>
    <message>
        <source>No patients on the ward yet. Patient → Admit… (Ctrl+N) admits one; File → Import… (Ctrl+Shift+I) reads a file from another system (the same as the command crs-bedside import).</source>
        <translation>Aún no hay pacientes en la planta. Paciente → Ingresar… (Ctrl+N) ingresa uno; Archivo → Importar… (Ctrl+Shift+I) lee un archivo de otro sistema (lo mismo que la orden crs-bedside import).</translation>
    </message>
    <message>
        <source>How to add patients</source>
        <translation>Cómo añadir pacientes</translation>
    </message>
    <message>
        <source>&amp;Admit a patient…</source>
        <translation>&amp;Ingresar a un paciente…</translation>
    </message>
    <message>
        <source>&amp;Import a file…</source>
        <translation>I&amp;mportar un archivo…</translation>
    </message>
    <message>
        <source>No patient with MRN %1 on the ward.</source>
        <translation>No hay ningún paciente con NHC %1 en la planta.</translation>
    </message>
    <message>
        <source>Answer…</source>
        <translation>Responder…</translation>
    </message>
    <message>
        <source>Record it…</source>
        <translation>Registrarlo…</translation>
    </message>
    <message>
        <source>confirmed despite the guard: %1</source>
        <translation>confirmado a pesar del bloqueo: %1</translation>
    </message>
    <message>
        <source>%1: %2 · answers: %3</source>
        <translation>%1: %2 · responde: %3</translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message>
        <source>Locked</source>
        <translation>Bloqueado</translation>
    </message>
    <message>
        <source>User: %1</source>
        <translation>Usuario: %1</translation>
    </message>
    <message>
        <source>Administrator created: from now on everyone signs in.</source>
        <translation>Administrador creado: a partir de ahora todos inician sesión.</translation>
    </message>
</context>
<context>
    <name>SeverityDialog</name>
    <message>
        <source>Handover: illness severity</source>
        <translation>Relevo: gravedad de la enfermedad</translation>
    </message>
    <message>
        <source>The app suggests a severity from the grades and NEWS2. Change it where your judgement differs; the page prints your choice and the suggestion.</source>
        <translation>La aplicación sugiere una gravedad a partir de los grados y del NEWS2. Cámbiela donde su criterio difiera; la página imprime su elección y la sugerencia.</translation>
    </message>
    <message>
        <source>Illness severity of %1</source>
        <translation>Gravedad de la enfermedad de %1</translation>
    </message>
    <message>
        <source>suggested: %1</source>
        <translation>sugerida: %1</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>PIN (hidden)</source>
        <translation>PIN (oculto)</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Nombre de usuario:</translation>
    </message>
    <message>
        <source>&amp;PIN:</source>
        <translation>&amp;PIN:</translation>
    </message>
    <message>
        <source>Sign-in message</source>
        <translation>Mensaje de inicio de sesión</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Iniciar sesión</translation>
    </message>
    <message>
        <source>Who is recording?</source>
        <translation>¿Quién registra?</translation>
    </message>
    <message>
        <source>Sign in to CRS Bedside</source>
        <translation>Iniciar sesión en CRS Bedside</translation>
    </message>
    <message>
        <source>This database has no user accounts: type your name or staff ID. It is stamped on every entry you make.</source>
        <translation>Esta base de datos no tiene cuentas de usuario: escriba su nombre o número de empleado. Queda registrado en cada entrada que haga.</translation>
    </message>
    <message>
        <source>Type your user name and PIN. The PIN is not shown and is never stored.</source>
        <translation>Escriba su nombre de usuario y su PIN. El PIN no se muestra y nunca se guarda.</translation>
    </message>
    <message>
        <source>Your &amp;name or staff ID:</source>
        <translation>Su &amp;nombre o número de empleado:</translation>
    </message>
    <message>
        <source>Type your user name first.</source>
        <translation>Escriba primero su nombre de usuario.</translation>
    </message>
    <message>
        <source>Type your name or staff ID first.</source>
        <translation>Escriba primero su nombre o número de empleado.</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>T %1</source>
        <translation>T %1</translation>
    </message>
    <message>
        <source>P %1</source>
        <translation>FC %1</translation>
    </message>
    <message>
        <source>RR %1</source>
        <translation>FR %1</translation>
    </message>
    <message>
        <source>BP %1</source>
        <translation>PA %1</translation>
    </message>
    <message>
        <source>SpO2 %1 %</source>
        <translation>SpO2 %1 %</translation>
    </message>
    <message>
        <source>(for comfort only)</source>
        <translation>(solo por confort)</translation>
    </message>
    <message>
        <source>fluid bolus given</source>
        <translation>bolo de líquidos administrado</translation>
    </message>
    <message>
        <source>vasopressors: %1</source>
        <translation>vasopresores: %1</translation>
    </message>
    <message>
        <source>life-threatening (clinician)</source>
        <translation>amenaza vital (según clínico)</translation>
    </message>
    <message>
        <source>fever from another cause (clinician)</source>
        <translation>fiebre por otra causa (según clínico)</translation>
    </message>
    <message>
        <source>%1 mcg over %2 h</source>
        <translation>%1 mcg en %2 h</translation>
    </message>
    <message>
        <source>e-signature of %1 (%2), %3: %4</source>
        <translation>firma electrónica de %1 (%2), %3: %4</translation>
    </message>
    <message>
        <source>cycle %1</source>
        <translation>ciclo %1</translation>
    </message>
    <message>
        <source>reason: %1</source>
        <translation>motivo: %1</translation>
    </message>
    <message>
        <source>ICE %1/10</source>
        <translation>ICE %1/10</translation>
    </message>
    <message>
        <source>ICE not possible</source>
        <translation>ICE no realizable</translation>
    </message>
    <message>
        <source>motor weakness</source>
        <translation>debilidad motora</translation>
    </message>
    <message>
        <source>cerebral oedema: %1</source>
        <translation>edema cerebral: %1</translation>
    </message>
    <message>
        <source>grade %1: %2</source>
        <translation>grado %1: %2</translation>
    </message>
    <message>
        <source>marks an earlier record entered in error: %1</source>
        <translation>marca como erróneo un registro anterior: %1</translation>
    </message>
    <message>
        <source>No CRS</source>
        <extracomment>Level (RULES.md §9: 0 none ... 4 life-threatening, 5 death) -&gt; (background, foreground, shape, symbol).</extracomment>
        <translation>Sin SLC</translation>
    </message>
    <message>
        <source>CRS grade 1</source>
        <translation>SLC grado 1</translation>
    </message>
    <message>
        <source>CRS grade 2</source>
        <translation>SLC grado 2</translation>
    </message>
    <message>
        <source>CRS grade 3</source>
        <translation>SLC grado 3</translation>
    </message>
    <message>
        <source>CRS grade 4</source>
        <translation>SLC grado 4</translation>
    </message>
    <message>
        <source>CRS grade 5 (death)</source>
        <translation>SLC grado 5 (muerte)</translation>
    </message>
    <message>
        <source>No ICANS</source>
        <translation>Sin ICANS</translation>
    </message>
    <message>
        <source>ICANS grade 1</source>
        <translation>ICANS grado 1</translation>
    </message>
    <message>
        <source>ICANS grade 2</source>
        <translation>ICANS grado 2</translation>
    </message>
    <message>
        <source>ICANS grade 3</source>
        <translation>ICANS grado 3</translation>
    </message>
    <message>
        <source>ICANS grade 4</source>
        <translation>ICANS grado 4</translation>
    </message>
    <message>
        <source>low risk</source>
        <extracomment>NEWS2 risk band (RULES.md §4.2) -&gt; (level for colour, words).</extracomment>
        <translation>riesgo bajo</translation>
    </message>
    <message>
        <source>low–medium risk (a red score)</source>
        <translation>riesgo bajo–medio (una puntuación roja)</translation>
    </message>
    <message>
        <source>medium risk</source>
        <translation>riesgo medio</translation>
    </message>
    <message>
        <source>high risk</source>
        <translation>riesgo alto</translation>
    </message>
    <message>
        <source>Not started</source>
        <extracomment>Infusion state (INTERFACE.md) -&gt; (background, foreground, shape, symbol, words).</extracomment>
        <translation>No iniciada</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En curso</translation>
    </message>
    <message>
        <source>HELD</source>
        <translation>INTERRUMPIDA</translation>
    </message>
    <message>
        <source>Between cycles</source>
        <translation>Entre ciclos</translation>
    </message>
    <message>
        <source>Discontinued</source>
        <translation>Suspendida</translation>
    </message>
    <message>
        <source>Course completed</source>
        <translation>Tratamiento completado</translation>
    </message>
    <message>
        <source>CRS not assessed</source>
        <translation>SLC no valorado</translation>
    </message>
    <message>
        <source>%1 or higher</source>
        <translation>%1 o superior</translation>
    </message>
    <message>
        <source>CRS: %1</source>
        <translation>SLC: %1</translation>
    </message>
    <message>
        <source>no vital signs recorded</source>
        <translation>sin constantes registradas</translation>
    </message>
    <message>
        <source>CRS unknown</source>
        <translation>SLC desconocido</translation>
    </message>
    <message>
        <source>no current vital signs (last set %1)</source>
        <translation>sin constantes actuales (última toma %1)</translation>
    </message>
    <message>
        <source>observations overdue (last set %1)</source>
        <translation>controles atrasados (última toma %1)</translation>
    </message>
    <message>
        <source>ICANS not assessed</source>
        <translation>ICANS no valorado</translation>
    </message>
    <message>
        <source>ICANS: %1</source>
        <translation>ICANS: %1</translation>
    </message>
    <message>
        <source>NEWS2 incomplete</source>
        <translation>NEWS2 incompleto</translation>
    </message>
    <message>
        <source>NEWS2: no score, the set is incomplete</source>
        <translation>NEWS2: sin puntuación, el juego de constantes está incompleto</translation>
    </message>
    <message>
        <source>NEWS2 %1, %2</source>
        <translation>NEWS2 %1, %2</translation>
    </message>
    <message>
        <source>Infusion: %1</source>
        <translation>Infusión: %1</translation>
    </message>
    <message>
        <source>OVERDUE by %1</source>
        <translation>RETRASO de %1</translation>
    </message>
    <message>
        <source>Observations %1</source>
        <translation>Constantes: %1</translation>
    </message>
    <message>
        <source>due in %1</source>
        <translation>toca en %1</translation>
    </message>
    <message>
        <source>restart needs premedication from %1 (in %2)</source>
        <extracomment>Hold clocks (core.regimen.hold_clocks codes) -&gt; words ahead (%1 the time, %2 the time left) and once passed.</extracomment>
        <translation>reanudar requiere premedicación desde %1 (dentro de %2)</translation>
    </message>
    <message>
        <source>restart needs premedication (hold longer than %1)</source>
        <translation>reanudar requiere premedicación (interrupción de más de %1)</translation>
    </message>
    <message>
        <source>new cycle after %1 (in %2)</source>
        <translation>ciclo nuevo después de %1 (dentro de %2)</translation>
    </message>
    <message>
        <source>new cycle required (limit passed %1)</source>
        <translation>ciclo nuevo obligatorio (límite superado %1)</translation>
    </message>
    <message>
        <source>review after %1 (in %2)</source>
        <translation>revisión después de %1 (dentro de %2)</translation>
    </message>
    <message>
        <source>discontinuation review due (limit passed %1)</source>
        <translation>toca valorar la suspensión (límite superado %1)</translation>
    </message>
    <message>
        <source>premedication needed in %1</source>
        <translation>premedicación necesaria en %1</translation>
    </message>
    <message>
        <source>new cycle in %1</source>
        <translation>ciclo nuevo en %1</translation>
    </message>
    <message>
        <source>discontinuation review in %1</source>
        <translation>valorar suspensión en %1</translation>
    </message>
    <message>
        <source>DEMO WARD – synthetic patients, not for clinical use</source>
        <translation>PLANTA DE DEMOSTRACIÓN – pacientes ficticios, no apta para uso clínico</translation>
    </message>
    <message>
        <source>UNPROTECTED FILE – not encrypted</source>
        <translation>ARCHIVO SIN PROTECCIÓN – sin cifrar</translation>
    </message>
    <message>
        <source>Warning: this database is not encrypted and anyone with the file can read it</source>
        <translation>Aviso: esta base de datos no está cifrada y cualquiera que tenga el archivo puede leerla</translation>
    </message>
    <message>
        <source>Scales differ</source>
        <translation>Las escalas difieren</translation>
    </message>
    <message>
        <source>The two CRS scales give different grades</source>
        <translation>Las dos escalas de SLC dan grados distintos</translation>
    </message>
    <message>
        <source>Discontinue</source>
        <extracomment>Infusion prompts (core recommendation codes) -&gt; (background, foreground, shape, symbol, short words). The panel shows core&apos;s sentence beside the chip; the chip says what kind of prompt it is without relying on the colour.</extracomment>
        <translation>Suspender</translation>
    </message>
    <message>
        <source>Interrupt</source>
        <translation>Interrumpir</translation>
    </message>
    <message>
        <source>Discontinuation review</source>
        <translation>Valorar la suspensión</translation>
    </message>
    <message>
        <source>New cycle required</source>
        <translation>Ciclo nuevo obligatorio</translation>
    </message>
    <message>
        <source>Near the new-cycle limit</source>
        <translation>Cerca del límite de ciclo nuevo</translation>
    </message>
    <message>
        <source>Step-up suppressed</source>
        <translation>Escalada suspendida</translation>
    </message>
    <message>
        <source>Dose differs</source>
        <translation>La dosis no coincide</translation>
    </message>
    <message>
        <source>Premedication due</source>
        <translation>Premedicación pendiente</translation>
    </message>
    <message>
        <source>Premedication timing</source>
        <translation>Hora de la premedicación</translation>
    </message>
    <message>
        <source>Step-up due</source>
        <translation>Escalada de dosis pendiente</translation>
    </message>
    <message>
        <source>Cycle infusion complete</source>
        <translation>Infusión del ciclo completa</translation>
    </message>
    <message>
        <source>Restart eligible</source>
        <translation>Puede reiniciarse</translation>
    </message>
    <message>
        <source>Bag change due</source>
        <translation>Cambio de bolsa pendiente</translation>
    </message>
    <message>
        <source>Infusion prompt: %1</source>
        <translation>Aviso de la infusión: %1</translation>
    </message>
    <message>
        <source>Running (dose per day)</source>
        <extracomment>Timeline element -&gt; (fill, hatch, outline, symbol, legend words). Holds are hatched and the stretches differ in pattern as well as colour; point events differ in symbol.</extracomment>
        <translation>En curso (dosis al día)</translation>
    </message>
    <message>
        <source>Held (reason)</source>
        <translation>Interrumpida (motivo)</translation>
    </message>
    <message>
        <source>Bag change</source>
        <translation>Cambio de bolsa</translation>
    </message>
    <message>
        <source>Dose step</source>
        <translation>Cambio de dosis</translation>
    </message>
    <message>
        <source>Premedication</source>
        <translation>Premedicación</translation>
    </message>
    <message>
        <source>CRS episode (grade)</source>
        <translation>Episodio de SLC (grado)</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Ahora</translation>
    </message>
    <message>
        <source>Hold limits (new cycle, review)</source>
        <translation>Límites de interrupción (ciclo nuevo, revisión)</translation>
    </message>
    <message>
        <source>ASTCT 2019: grade %1</source>
        <translation>ASTCT 2019: grado %1</translation>
    </message>
    <message>
        <source>CTCAE v5: grade %1</source>
        <translation>CTCAE v5: grado %1</translation>
    </message>
    <message>
        <source>Grade set by a clinician: %1</source>
        <translation>Grado fijado por un clínico: %1</translation>
    </message>
    <message>
        <source>cycle %1 day %2</source>
        <translation>ciclo %1 día %2</translation>
    </message>
    <message>
        <source>%1 mcg/day</source>
        <translation>%1 mcg/día</translation>
    </message>
    <message>
        <source>was %1 mcg/day</source>
        <translation>estaba a %1 mcg/día</translation>
    </message>
    <message>
        <source>holds this cycle: %1</source>
        <translation>interrupciones en el ciclo: %1</translation>
    </message>
    <message>
        <source>premedication due</source>
        <translation>premedicación pendiente</translation>
    </message>
    <message>
        <source>Held this cycle: %1</source>
        <translation>Interrumpida en este ciclo: %1</translation>
    </message>
    <message>
        <source>Premedication %1</source>
        <translation>Premedicación %1</translation>
    </message>
    <message>
        <source>Set taken at %1</source>
        <translation>Constantes tomadas el %1</translation>
    </message>
    <message>
        <source>Observations every %1; next due %2</source>
        <translation>Constantes cada %1; las siguientes el %2</translation>
    </message>
    <message>
        <source>CHANGED OUTSIDE THE APP – check figures against the chart; call clinic IT</source>
        <translation>MODIFICADA FUERA DE LA APLICACIÓN – compruebe las cifras con la gráfica; avise a informática</translation>
    </message>
    <message>
        <source>Warning: this database was changed outside CRS Bedside</source>
        <translation>Aviso: esta base de datos se modificó fuera de CRS Bedside</translation>
    </message>
    <message>
        <source>BACKUP FAILED – see the reason; tell clinic IT</source>
        <translation>FALLÓ LA COPIA DE SEGURIDAD – vea el motivo; avise a informática</translation>
    </message>
    <message>
        <source>Warning: the last backup failed</source>
        <translation>Aviso: la última copia de seguridad falló</translation>
    </message>
    <message>
        <source>(from %1)</source>
        <translation>(de las %1)</translation>
    </message>
    <message>
        <source>no CRS</source>
        <translation>sin SLC</translation>
    </message>
    <message>
        <source>grade %1 on both scales</source>
        <translation>grado %1 en ambas escalas</translation>
    </message>
    <message>
        <source>grade %1 (ASTCT %2, CTCAE %3)</source>
        <translation>grado %1 (ASTCT %2, CTCAE %3)</translation>
    </message>
    <message>
        <source>At %1: </source>
        <translation>A las %1: </translation>
    </message>
    <message>
        <source>SBP %1 mmHg</source>
        <translation>PAS %1 mmHg</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>con %1</translation>
    </message>
    <message>
        <source>needing fluids</source>
        <translation>que precisó líquidos</translation>
    </message>
    <message>
        <source>vasopressors running</source>
        <translation>vasopresores en curso</translation>
    </message>
    <message>
        <source>a fluid bolus given</source>
        <translation>bolo de líquidos administrado</translation>
    </message>
    <message>
        <source>No temperature, blood pressure or oxygen recorded → %1</source>
        <translation>Sin temperatura, presión arterial ni oxígeno registrados → %1</translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1 y %2</translation>
    </message>
    <message>
        <source>For clinicians: grade rules %1 · recommendation rules %2 · protocol %3 v%4</source>
        <translation>Para clínicos: reglas del grado %1 · reglas de las recomendaciones %2 · protocolo %3 v%4</translation>
    </message>
</context>
<context>
    <name>StatusBanner</name>
    <message>
        <source>Patient status</source>
        <translation>Estado del paciente</translation>
    </message>
    <message>
        <source>Both CRS scales</source>
        <translation>Las dos escalas de SLC</translation>
    </message>
    <message>
        <source>Infusion</source>
        <translation>Infusión</translation>
    </message>
    <message>
        <source>What to do now</source>
        <translation>Qué hacer ahora</translation>
    </message>
    <message>
        <source>Management for this grade</source>
        <translation>Manejo para este grado</translation>
    </message>
    <message>
        <source>Why: the values and rules behind the grade</source>
        <translation>Por qué: los valores y las reglas que dan el grado</translation>
    </message>
    <message>
        <source>Management</source>
        <translation>Manejo</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Por qué</translation>
    </message>
    <message>
        <source>ASTCT 2019: grade %1 · CTCAE v5: grade %2 · the higher is shown</source>
        <translation>ASTCT 2019: grado %1 · CTCAE v5: grado %2 · se muestra el mayor</translation>
    </message>
    <message>
        <source>set by a clinician to grade %1 (computed %2): %3</source>
        <translation>fijado por un clínico en grado %1 (calculado %2): %3</translation>
    </message>
    <message>
        <source>assessed %1</source>
        <translation>valorado a las %1</translation>
    </message>
    <message>
        <source>NEWS2 from the set of %1</source>
        <translation>NEWS2 de las constantes de las %1</translation>
    </message>
    <message>
        <source>Infusion: %1</source>
        <translation>Infusión: %1</translation>
    </message>
    <message>
        <source>Nothing pending: continue observations as scheduled.</source>
        <translation>Nada pendiente: siga con las constantes según lo previsto.</translation>
    </message>
    <message>
        <source>Management (grade %1)</source>
        <translation>Manejo (grado %1)</translation>
    </message>
    <message>
        <source>Values now: %1 (taken %2)</source>
        <translation>Valores actuales: %1 (tomados %2)</translation>
    </message>
    <message>
        <source>From an earlier set: %1</source>
        <translation>De una toma anterior: %1</translation>
    </message>
    <message>
        <source>No vital signs in the last hours.</source>
        <translation>Sin constantes en las últimas horas.</translation>
    </message>
    <message>
        <source>fluid bolus within the window</source>
        <translation>bolo de líquidos dentro del intervalo</translation>
    </message>
    <message>
        <source>vasopressors running: %1</source>
        <translation>vasopresores en perfusión: %1</translation>
    </message>
    <message>
        <source>Notes: %1</source>
        <translation>Notas: %1</translation>
    </message>
    <message>
        <source>Missing: %1</source>
        <translation>Falta: %1</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>CRS</source>
        <extracomment>One day on the axis.</extracomment>
        <translation>SLC</translation>
    </message>
    <message>
        <source>Infusion</source>
        <translation>Infusión</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Día</translation>
    </message>
    <message>
        <source>No infusion recorded yet.</source>
        <translation>Aún no hay infusión registrada.</translation>
    </message>
    <message>
        <source>C%1 D%2</source>
        <translation>C%1 D%2</translation>
    </message>
    <message>
        <source>D%1</source>
        <translation>D%1</translation>
    </message>
    <message>
        <source>Hold limit (%1) at %2</source>
        <translation>Límite de interrupción (%1): %2</translation>
    </message>
    <message>
        <source>Now: %1</source>
        <translation>Ahora: %1</translation>
    </message>
    <message>
        <source>now %1</source>
        <translation>ahora %1</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <source>Last 24 hours</source>
        <extracomment>Intervention markers: a shape and a colour each, so they differ without colour too. The charts are redrawn this long after new data, so the status banner paints the new grade first.</extracomment>
        <translation>Últimas 24 horas</translation>
    </message>
    <message>
        <source>Last 3 days</source>
        <translation>Últimos 3 días</translation>
    </message>
    <message>
        <source>This cycle</source>
        <translation>Este ciclo</translation>
    </message>
    <message>
        <source>Time range of the trend</source>
        <translation>Intervalo de tiempo de la tendencia</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>&amp;Mostrar:</translation>
    </message>
    <message>
        <source>Shading: CRS grade (colour as in the banner) · hatched = infusion held · dashed line = threshold</source>
        <translation>Sombreado: grado de SLC (color como en el encabezado) · rayado = infusión interrumpida · línea discontinua = umbral</translation>
    </message>
    <message>
        <source>Pulse (/min)</source>
        <translation>Pulso (/min)</translation>
    </message>
    <message>
        <source>Systolic blood pressure (mmHg)</source>
        <translation>Presión arterial sistólica (mmHg)</translation>
    </message>
    <message>
        <source>SpO2 (%)</source>
        <translation>SpO2 (%)</translation>
    </message>
    <message>
        <source>Temperature (°F)</source>
        <translation>Temperatura (°F)</translation>
    </message>
    <message>
        <source>Temperature (°C)</source>
        <translation>Temperatura (°C)</translation>
    </message>
    <message>
        <source>Fluid bolus</source>
        <translation>Bolo de líquidos</translation>
    </message>
    <message>
        <source>CRS medication</source>
        <translation>Medicación para SLC</translation>
    </message>
    <message>
        <source>Vasopressor</source>
        <translation>Vasopresor</translation>
    </message>
    <message>
        <source>Infusion stopped</source>
        <translation>Infusión detenida</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Who is recording?</source>
        <translation>¿Quién registra?</translation>
    </message>
    <message>
        <source>Your &amp;name or staff ID (stamped on every entry you make):</source>
        <translation>Su &amp;nombre o número de personal (figurará en cada registro que haga):</translation>
    </message>
    <message>
        <source>Name or staff ID</source>
        <translation>Nombre o número de personal</translation>
    </message>
    <message>
        <source>This database has no user accounts yet. Either type your name to record under it (open mode: anyone at this computer can use any name), or create the administrator account now, after which everyone signs in with a user name and PIN and the clinician-only actions are checked.</source>
        <translation>Esta base de datos aún no tiene cuentas de usuario. Escriba su nombre para registrar con él (modo abierto: cualquiera en este ordenador puede usar cualquier nombre), o cree ahora la cuenta de administración; después todos inician sesión con nombre de usuario y PIN, y se comprueban las acciones reservadas a los médicos.</translation>
    </message>
    <message>
        <source>Record under this &amp;name</source>
        <translation>Registrar con este &amp;nombre</translation>
    </message>
    <message>
        <source>Create the &amp;administrator…</source>
        <translation>Crear el &amp;administrador…</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>Users – CRS Bedside</source>
        <translation>Usuarios – CRS Bedside</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Nombre completo</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Funciones</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>User accounts</source>
        <translation>Cuentas de usuario</translation>
    </message>
    <message>
        <source>Users message</source>
        <translation>Mensaje de usuarios</translation>
    </message>
    <message>
        <source>&amp;Add user…</source>
        <translation>&amp;Añadir usuario…</translation>
    </message>
    <message>
        <source>Set &amp;roles…</source>
        <translation>Cambiar &amp;funciones…</translation>
    </message>
    <message>
        <source>Reset &amp;PIN…</source>
        <translation>Restablecer &amp;PIN…</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>&amp;Desactivar</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Cerrar</translation>
    </message>
    <message>
        <source>active</source>
        <translation>activa</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>desactivada</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;Activar</translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation>Añadir un usuario</translation>
    </message>
    <message>
        <source>Account %1 added.</source>
        <translation>Cuenta %1 añadida.</translation>
    </message>
    <message>
        <source>Roles of %1</source>
        <translation>Funciones de %1</translation>
    </message>
    <message>
        <source>Roles of %1 changed.</source>
        <translation>Funciones de %1 cambiadas.</translation>
    </message>
    <message>
        <source>New PIN for %1</source>
        <translation>PIN nuevo para %1</translation>
    </message>
    <message>
        <source>The PIN of %1 was reset.</source>
        <translation>El PIN de %1 se ha restablecido.</translation>
    </message>
    <message>
        <source>Account %1 enabled.</source>
        <translation>Cuenta %1 activada.</translation>
    </message>
    <message>
        <source>Account %1 disabled.</source>
        <translation>Cuenta %1 desactivada.</translation>
    </message>
</context>
<context>
    <name>VitalsWizard</name>
    <message>
        <source>Record vitals – bed %1, %2</source>
        <translation>Registrar constantes – cama %1, %2</translation>
    </message>
    <message>
        <source>Bed %1 · %2 · %3</source>
        <translation>Cama %1 · %2 · %3</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Paso</translation>
    </message>
    <message>
        <source>‹ &amp;Back</source>
        <translation>‹ &amp;Atrás</translation>
    </message>
    <message>
        <source>Previous step</source>
        <translation>Paso anterior</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Cancel without saving</source>
        <translation>Cancelar sin guardar</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Temperature, pulse, respiration</source>
        <translation>Temperatura, pulso, respiración</translation>
    </message>
    <message>
        <source>Blood pressure</source>
        <translation>Presión arterial</translation>
    </message>
    <message>
        <source>Oxygen</source>
        <translation>Oxígeno</translation>
    </message>
    <message>
        <source>Consciousness and symptoms</source>
        <translation>Conciencia y síntomas</translation>
    </message>
    <message>
        <source>Review and save</source>
        <translation>Revisar y guardar</translation>
    </message>
    <message>
        <source>Step %1 of %2 · %3</source>
        <translation>Paso %1 de %2 · %3</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>&amp;Next ›</source>
        <translation>&amp;Siguiente ›</translation>
    </message>
    <message>
        <source>Save the observations</source>
        <translation>Guardar las constantes</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>Paso siguiente</translation>
    </message>
    <message>
        <source>Discard the values?</source>
        <translation>¿Descartar los valores?</translation>
    </message>
    <message>
        <source>The values you typed have not been saved. Close without saving them?</source>
        <translation>Los valores que ha escrito no se han guardado. ¿Cerrar sin guardarlos?</translation>
    </message>
</context>
<context>
    <name>WardTableModel</name>
    <message>
        <source>Bed</source>
        <extracomment>The roles the ward&apos;s cells answer (WardTableModel._cell); any other is None without looking at the state. The roles a nurse sees change in a cell (its words; its colours, shape and font follow its style) or that move or filter its row (the sort value, the ward): a minute refresh signals a cell only when one of these changed. Roles asked again after every refresh even where those did not change (a hold clock counts down in its tooltip).</extracomment>
        <translation>Cama</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>CRS</source>
        <translation>SLC</translation>
    </message>
    <message>
        <source>ICANS</source>
        <translation>ICANS</translation>
    </message>
    <message>
        <source>NEWS2</source>
        <translation>NEWS2</translation>
    </message>
    <message>
        <source>Infusion</source>
        <translation>Infusión</translation>
    </message>
    <message>
        <source>Next observations</source>
        <translation>Próximas
constantes</translation>
    </message>
    <message>
        <source>Pending actions</source>
        <translation>Acciones
pendientes</translation>
    </message>
    <message>
        <source>not assessed</source>
        <translation>no valorado</translation>
    </message>
    <message>
        <source>grade %1</source>
        <translation>grado %1</translation>
    </message>
    <message>
        <source>incomplete</source>
        <translation>incompleto</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>ninguna registrada</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
</context>
<context>
    <name>WardView</name>
    <message>
        <source>Show ward</source>
        <extracomment>How many rows a table measures to size its columns (QHeaderView.setResizeContentsPrecision). Size hints kept (a ward&apos;s cells in a few widths); the oldest half is dropped beyond this.</extracomment>
        <translation>Mostrar planta</translation>
    </message>
    <message>
        <source>&amp;Ward:</source>
        <translation>&amp;Planta:</translation>
    </message>
    <message>
        <source>Ward summary</source>
        <translation>Resumen de la planta</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <source>Refresh the ward</source>
        <translation>Actualizar la planta</translation>
    </message>
    <message>
        <source>Patients on the ward, most acute first</source>
        <translation>Pacientes de la planta, los más graves primero</translation>
    </message>
    <message>
        <source>↑/↓ choose a patient · Enter opens · Ctrl+R records vitals · F5 refreshes</source>
        <translation>↑/↓ elige un paciente · Intro lo abre · Ctrl+R registra constantes · F5 actualiza</translation>
    </message>
    <message>
        <source>Keyboard help</source>
        <translation>Ayuda de teclado</translation>
    </message>
    <message>
        <source>%1 patients · %2 with observations overdue · updated %3</source>
        <translation>%1 pacientes · %2 con constantes atrasadas · actualizado a las %3</translation>
    </message>
    <message>
        <source>All wards</source>
        <translation>Todas las plantas</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&amp;File</source>
        <extracomment>The Record menu (issue 13): each kind of record with its shortcut.</extracomment>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Lock / switch user</source>
        <translation>&amp;Bloquear / cambiar de usuario</translation>
    </message>
    <message>
        <source>&amp;Users…</source>
        <translation>&amp;Usuarios…</translation>
    </message>
    <message>
        <source>Make a &amp;backup now</source>
        <translation>Hacer una copia de &amp;seguridad ahora</translation>
    </message>
    <message>
        <source>&amp;Merge from another laptop…</source>
        <translation>&amp;Fusionar desde otro portátil…</translation>
    </message>
    <message>
        <source>&amp;Export for the EHR…</source>
        <translation>&amp;Exportar para la historia clínica electrónica…</translation>
    </message>
    <message>
        <source>Handover: print pre&amp;view…</source>
        <translation>Relevo: &amp;vista previa…</translation>
    </message>
    <message>
        <source>Handover: &amp;print…</source>
        <translation>Relevo: im&amp;primir…</translation>
    </message>
    <message>
        <source>Handover: save as P&amp;DF…</source>
        <translation>Relevo: guardar como P&amp;DF…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Patient</source>
        <translation>&amp;Paciente</translation>
    </message>
    <message>
        <source>&amp;Open selected patient</source>
        <translation>&amp;Abrir el paciente seleccionado</translation>
    </message>
    <message>
        <source>Record &amp;vitals…</source>
        <translation>Registrar &amp;constantes…</translation>
    </message>
    <message>
        <source>Mark record &amp;entered in error…</source>
        <translation>Marcar registro como &amp;erróneo…</translation>
    </message>
    <message>
        <source>Confirm/override CRS &amp;grade…</source>
        <translation>Confirmar/modificar el &amp;grado de SLC…</translation>
    </message>
    <message>
        <source>Close CRS e&amp;pisode…</source>
        <translation>Cerrar el e&amp;pisodio de SLC…</translation>
    </message>
    <message>
        <source>Back to the &amp;ward</source>
        <translation>Volver a la &amp;planta</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>Atajos de &amp;teclado</translation>
    </message>
    <message>
        <source>&amp;About CRS Bedside</source>
        <translation>Acerca &amp;de CRS Bedside</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <source>&amp;Trend</source>
        <translation>&amp;Tendencia</translation>
    </message>
    <message>
        <source>Re&amp;cords</source>
        <translation>Re&amp;gistros</translation>
    </message>
    <message>
        <source>&amp;Infusion</source>
        <translation>&amp;Infusión</translation>
    </message>
    <message>
        <source>&amp;Audit trail</source>
        <translation>Registro de &amp;auditoría</translation>
    </message>
    <message>
        <source>Text si&amp;ze</source>
        <translation>Tamaño del te&amp;xto</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>Texto más &amp;grande</translation>
    </message>
    <message>
        <source>&amp;Smaller text</source>
        <translation>Texto más &amp;pequeño</translation>
    </message>
    <message>
        <source>&amp;Normal text size</source>
        <translation>Tamaño de texto &amp;normal</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>A&amp;justes</translation>
    </message>
    <message>
        <source>Temperature in °&amp;C</source>
        <translation>Temperatura en °&amp;C</translation>
    </message>
    <message>
        <source>Temperature in °&amp;F</source>
        <translation>Temperatura en °&amp;F</translation>
    </message>
    <message>
        <source>No CRS episode is open for this patient.</source>
        <translation>Este paciente no tiene ningún episodio de SLC abierto.</translation>
    </message>
    <message>
        <source>Create the &amp;administrator…</source>
        <translation>Crear el &amp;administrador…</translation>
    </message>
    <message>
        <source>Create the first account, an admin: from then on everyone signs in.</source>
        <translation>Crear la primera cuenta, de administración: desde entonces todos inician sesión.</translation>
    </message>
    <message>
        <source>Only nurses and clinicians enter records; you are signed in as %1.</source>
        <translation>Solo enfermería y médicos introducen registros; ha iniciado sesión como %1.</translation>
    </message>
    <message>
        <source>Only clinicians confirm or override a CRS grade; you are signed in as %1.</source>
        <translation>Solo los médicos confirman o modifican un grado de SLC; ha iniciado sesión como %1.</translation>
    </message>
    <message>
        <source>Only clinicians close a CRS episode; you are signed in as %1.</source>
        <translation>Solo los médicos cierran un episodio de SLC; ha iniciado sesión como %1.</translation>
    </message>
    <message>
        <source>Only admins manage user accounts; you are signed in as %1.</source>
        <translation>Solo la administración gestiona las cuentas; ha iniciado sesión como %1.</translation>
    </message>
    <message>
        <source>Sign in to export; you are signed in as %1.</source>
        <translation>Inicie sesión para exportar; ha iniciado sesión como %1.</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <source>Ward: ↑/↓ choose a patient, Enter opens, F5 refreshes.
Patient: Ctrl+R records vitals, Ctrl+T trend, Ctrl+L records, Ctrl+U audit trail, Ctrl+E marks a record entered in error, Ctrl+G confirms or overrides the CRS grade (clinicians), Esc back to the ward.
Ctrl+Shift+L locks the screen so that the next person signs in.
Vitals: type a value, Tab to the next, Enter for the next step, Alt+← back, Enter on the review saves.</source>
        <translation>Planta: ↑/↓ elige un paciente, Intro lo abre, F5 actualiza.
Paciente: Ctrl+R registra constantes, Ctrl+T tendencia, Ctrl+L registros, Ctrl+U auditoría, Ctrl+E marca un registro como erróneo, Ctrl+G confirma o modifica el grado de SLC (médicos), Esc vuelve a la planta.
Ctrl+Shift+L bloquea la pantalla para que inicie sesión la persona siguiente.
Constantes: escriba un valor, Tab al siguiente, Intro al paso siguiente, Alt+← atrás, Intro en la revisión guarda.</translation>
    </message>
    <message>
        <source>About CRS Bedside</source>
        <translation>Acerca de CRS Bedside</translation>
    </message>
    <message>
        <source>CRS Bedside %1
Supports nursing observation and escalation for patients at risk of cytokine release syndrome. It recommends; it never orders.</source>
        <translation>CRS Bedside %1
Apoya la observación y la escalada de enfermería en pacientes con riesgo de síndrome de liberación de citocinas. Recomienda; nunca prescribe.</translation>
    </message>
</context>
<context>
    <name>WindowStatusBar</name>
    <message>
        <source>Database: %1</source>
        <translation>Base de datos: %1</translation>
    </message>
    <message>
        <source>Protocol: %1 v%2</source>
        <translation>Protocolo: %1 v%2</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Copias de seguridad</translation>
    </message>
    <message>
        <source>Clock warning</source>
        <translation>Aviso del reloj</translation>
    </message>
    <message>
        <source>This database has no user accounts, so it is stored in clear: anyone who can read the file can read the records. Creating the administrator encrypts it.</source>
        <translation>Esta base de datos no tiene cuentas de usuario, por lo que se guarda sin cifrar: cualquiera que pueda leer el archivo puede leer los registros. Crear el administrador la cifra.</translation>
    </message>
    <message>
        <source>DEMO</source>
        <translation>DEMO</translation>
    </message>
    <message>
        <source>⚠ Clock behind records (%1)</source>
        <translation>⚠ Reloj atrasado (%1)</translation>
    </message>
    <message>
        <source>The laptop clock is behind the newest record: entries dated after the laptop&apos;s clock are not shown as now. Ask clinic IT to set the clock right.</source>
        <translation>El reloj del portátil va por detrás del registro más reciente: las entradas con fecha posterior al reloj no se muestran como actuales. Pida a informática de la clínica que ponga el reloj en hora.</translation>
    </message>
    <message>
        <source>EHR server address not usable: %1</source>
        <translation>La dirección del servidor de la historia clínica no es válida: %1</translation>
    </message>
    <message>
        <source>EHR: %1 to send</source>
        <translation>HCE: %1 por enviar</translation>
    </message>
    <message>
        <source>EHR: everything sent</source>
        <translation>HCE: todo enviado</translation>
    </message>
    <message>
        <source>Records waiting to be sent to the EHR</source>
        <translation>Registros pendientes de enviar a la historia clínica electrónica</translation>
    </message>
    <message>
        <source>Last backup %1</source>
        <translation>Última copia %1</translation>
    </message>
    <message>
        <source>The database failed its background check.</source>
        <translation>La base de datos no superó la comprobación en segundo plano.</translation>
    </message>
    <message>
        <source>The file may have been damaged or changed outside CRS Bedside. Entries made now are kept, but what was stored before cannot be trusted until it is checked.</source>
        <translation>Puede que el archivo se haya dañado o modificado fuera de CRS Bedside. Lo que registre ahora se conserva, pero lo guardado antes no es fiable hasta que se compruebe.</translation>
    </message>
    <message>
        <source>Tell clinic IT and the ward manager now; run &apos;crs-bedside verify&apos; and compare with the latest backup (see docs/GUARANTEES.md).</source>
        <translation>Avise ahora al servicio de informática y a la supervisora de la planta; ejecute &apos;crs-bedside verify&apos; y compare con la última copia de seguridad (véase docs/GUARANTEES.md).</translation>
    </message>
    <message>
        <source>The background check could not run: %1</source>
        <translation>No se pudo hacer la comprobación en segundo plano: %1</translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <source>%1 is not a number</source>
        <translation>%1 no es un número</translation>
    </message>
    <message>
        <source>%1 is outside %2–%3 %4</source>
        <translation>%1 está fuera de %2–%3 %4</translation>
    </message>
    <message>
        <source>%1 is not below the systolic %2 mmHg</source>
        <translation>%1 no es menor que la sistólica %2 mmHg</translation>
    </message>
    <message>
        <source>Unusually high: above %1 %2. Check, then confirm.</source>
        <translation>Inusualmente alto: por encima de %1 %2. Compruébelo y confírmelo.</translation>
    </message>
    <message>
        <source>Unusually low: below %1 %2. Check, then confirm.</source>
        <translation>Inusualmente bajo: por debajo de %1 %2. Compruébelo y confírmelo.</translation>
    </message>
    <message>
        <source>Low blood pressure: it counts now. Repeat the reading and enter it below, and tick any fluid bolus or vasopressor given. Enter goes on.</source>
        <translation>Presión arterial baja: cuenta ya. Repita la medición e introdúzcala abajo, y marque cualquier bolo de líquidos o vasopresor administrado. Intro continúa.</translation>
    </message>
    <message>
        <source>Range of %1</source>
        <translation>Intervalo de %1</translation>
    </message>
    <message>
        <source>Message for %1</source>
        <translation>Mensaje para %1</translation>
    </message>
    <message>
        <source>The value is correct</source>
        <translation>El valor es correcto</translation>
    </message>
    <message>
        <source>Confirm the unusual %1</source>
        <translation>Confirmar el valor inusual de %1</translation>
    </message>
    <message>
        <source>Use the converted value</source>
        <translation>Usar el valor convertido</translation>
    </message>
    <message>
        <source>Use %1 %2</source>
        <translation>Usar %1 %2</translation>
    </message>
    <message>
        <source>&amp;Temperature</source>
        <translation>&amp;Temperatura</translation>
    </message>
    <message>
        <source>&amp;Pulse</source>
        <translation>&amp;Pulso</translation>
    </message>
    <message>
        <source>&amp;Respiration rate</source>
        <translation>&amp;Frecuencia respiratoria</translation>
    </message>
    <message>
        <source>&amp;Systolic BP</source>
        <translation>PA &amp;sistólica</translation>
    </message>
    <message>
        <source>&amp;Diastolic BP</source>
        <translation>PA &amp;diastólica</translation>
    </message>
    <message>
        <source>Low blood pressure prompt</source>
        <translation>Aviso de presión arterial baja</translation>
    </message>
    <message>
        <source>Repeat s&amp;ystolic</source>
        <translation>Repetir s&amp;istólica</translation>
    </message>
    <message>
        <source>Repeat di&amp;astolic</source>
        <translation>Repetir di&amp;astólica</translation>
    </message>
    <message>
        <source>&amp;Fluid bolus given for low blood pressure</source>
        <translation>B&amp;olo de líquidos por presión arterial baja</translation>
    </message>
    <message>
        <source>Vasopressor running: %1</source>
        <translation>Vasopresor en perfusión: %1</translation>
    </message>
    <message>
        <source>Vasopressors running now:</source>
        <translation>Vasopresores en perfusión ahora:</translation>
    </message>
    <message>
        <source>Bolus &amp;volume</source>
        <translation>&amp;Volumen del bolo</translation>
    </message>
    <message>
        <source>Bolus volume</source>
        <translation>Volumen del bolo</translation>
    </message>
    <message>
        <source>%1 (up to %2); empty: volume not recorded</source>
        <translation>%1 (hasta %2); vacío: volumen no registrado</translation>
    </message>
    <message>
        <source>Oxygen &amp;device</source>
        <translation>&amp;Dispositivo de oxígeno</translation>
    </message>
    <message>
        <source>&amp;Flow</source>
        <translation>&amp;Flujo</translation>
    </message>
    <message>
        <source>Fi&amp;O2 set on the device</source>
        <translation>Fi&amp;O2 fijada en el dispositivo</translation>
    </message>
    <message>
        <source>Oxygen for &amp;comfort only (not to correct low saturation)</source>
        <translation>Oxígeno solo por &amp;confort (no para corregir una saturación baja)</translation>
    </message>
    <message>
        <source>S&amp;pO2</source>
        <translation>S&amp;pO2</translation>
    </message>
    <message>
        <source>&amp;Consciousness (ACVPU)</source>
        <translation>Nivel de &amp;conciencia (ACVPU)</translation>
    </message>
    <message>
        <source>ICE assessment</source>
        <translation>Valoración ICE</translation>
    </message>
    <message>
        <source>New confusion: do an ICE assessment now</source>
        <translation>Confusión nueva: haga ahora una valoración ICE</translation>
    </message>
    <message>
        <source>ICE score, 0 to 10</source>
        <translation>Puntuación ICE, de 0 a 10</translation>
    </message>
    <message>
        <source>&amp;ICE score</source>
        <translation>Puntuación &amp;ICE</translation>
    </message>
    <message>
        <source>points (%1–%2); leave empty if it cannot be done</source>
        <translation>puntos (%1–%2); déjelo vacío si no puede hacerse</translation>
    </message>
    <message>
        <source>&amp;Level of consciousness</source>
        <translation>Nive&amp;l de conciencia</translation>
    </message>
    <message>
        <source>Sei&amp;zure</source>
        <translation>Crisis con&amp;vulsiva</translation>
    </message>
    <message>
        <source>Message for the ICE score</source>
        <translation>Mensaje para la puntuación ICE</translation>
    </message>
    <message>
        <source>Symptom: %1</source>
        <translation>Síntoma: %1</translation>
    </message>
    <message>
        <source>New symptoms:</source>
        <translation>Síntomas nuevos:</translation>
    </message>
    <message>
        <source>Values to be saved</source>
        <translation>Valores que se guardarán</translation>
    </message>
    <message>
        <source>Time the observations were taken</source>
        <translation>Hora en que se tomaron las constantes</translation>
    </message>
    <message>
        <source>Taken &amp;at</source>
        <translation>Tomadas &amp;a las</translation>
    </message>
    <message>
        <source>Message for the time</source>
        <translation>Mensaje para la hora</translation>
    </message>
    <message>
        <source>Both CRS scales</source>
        <translation>Las dos escalas de SLC</translation>
    </message>
    <message>
        <source>What to do after saving</source>
        <translation>Qué hacer después de guardar</translation>
    </message>
    <message>
        <source>Details for clinicians</source>
        <translation>Detalles para clínicos</translation>
    </message>
    <message>
        <source>Check before saving:</source>
        <translation>Compruebe antes de guardar:</translation>
    </message>
    <message>
        <source>No values entered.</source>
        <translation>No se ha introducido ningún valor.</translation>
    </message>
    <message>
        <source>First reading (kept): %1</source>
        <translation>Primera medición (se conserva): %1</translation>
    </message>
    <message>
        <source>Not typed, carried forward from an earlier set: %1</source>
        <translation>No introducido, se usa el de una toma anterior: %1</translation>
    </message>
    <message>
        <source>ASTCT 2019: grade %1 · CTCAE v5: grade %2</source>
        <translation>ASTCT 2019: grado %1 · CTCAE v5: grado %2</translation>
    </message>
    <message>
        <source>Nothing pending after this set.</source>
        <translation>Nada pendiente tras estas constantes.</translation>
    </message>
    <message>
        <source>%1 is in the future: observations cannot be future-dated</source>
        <translation>%1 es una hora futura: las constantes no pueden tener fecha futura</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>Hypotension/hypoxia without fever: consider other causes</source>
        <translation>Hipotensión/hipoxia sin fiebre: valore otras causas</translation>
    </message>
    <message>
        <source>High-flow device at a low flow: confirm device and flow</source>
        <translation>Dispositivo de alto flujo a flujo bajo: confirme dispositivo y flujo</translation>
    </message>
    <message>
        <source>Angiotensin II running: confirm</source>
        <translation>Angiotensina II en perfusión: confírmelo</translation>
    </message>
    <message>
        <source>FiO2 not recorded: CTCAE can only say &apos;at least&apos;</source>
        <translation>FiO2 no registrada: CTCAE solo puede decir &apos;como mínimo&apos;</translation>
    </message>
    <message>
        <source>Fever waived after CRS treatment (R-AST-2)</source>
        <translation>Fiebre no exigida tras tratar el SLC (R-AST-2)</translation>
    </message>
    <message>
        <source>Fever attributed to another cause</source>
        <translation>Fiebre atribuida a otra causa</translation>
    </message>
    <message>
        <source>Recurrent CRS</source>
        <translation>SLC recurrente</translation>
    </message>
    <message>
        <source>CRP unreliable after tocilizumab</source>
        <translation>PCR poco fiable tras tocilizumab</translation>
    </message>
    <message>
        <source>Possible HLH/MAS/IEC-HS</source>
        <translation>Posible HLH/SAM/IEC-HS</translation>
    </message>
    <message>
        <source>High tumour burden (marrow blasts at or above the protocol limit)</source>
        <translation>Carga tumoral alta (blastos medulares en el límite del protocolo o por encima)</translation>
    </message>
    <message>
        <source>Room air</source>
        <translation>Aire ambiente</translation>
    </message>
    <message>
        <source>Blow-by oxygen</source>
        <translation>Oxígeno en flujo libre</translation>
    </message>
    <message>
        <source>Nasal cannula</source>
        <translation>Gafas nasales</translation>
    </message>
    <message>
        <source>High-flow nasal cannula</source>
        <translation>Gafas nasales de alto flujo</translation>
    </message>
    <message>
        <source>Simple face mask</source>
        <translation>Mascarilla simple</translation>
    </message>
    <message>
        <source>Venturi mask</source>
        <translation>Mascarilla Venturi</translation>
    </message>
    <message>
        <source>Non-rebreather mask</source>
        <translation>Mascarilla con reservorio</translation>
    </message>
    <message>
        <source>CPAP</source>
        <translation>CPAP</translation>
    </message>
    <message>
        <source>BiPAP</source>
        <translation>BiPAP</translation>
    </message>
    <message>
        <source>Invasive ventilation</source>
        <translation>Ventilación invasiva</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alerta</translation>
    </message>
    <message>
        <source>New confusion</source>
        <translation>Confusión nueva</translation>
    </message>
    <message>
        <source>Responds to voice</source>
        <translation>Responde a la voz</translation>
    </message>
    <message>
        <source>Responds to pain</source>
        <translation>Responde al dolor</translation>
    </message>
    <message>
        <source>Unresponsive</source>
        <translation>No responde</translation>
    </message>
    <message>
        <source>Norepinephrine</source>
        <translation>Noradrenalina</translation>
    </message>
    <message>
        <source>Epinephrine</source>
        <translation>Adrenalina</translation>
    </message>
    <message>
        <source>Phenylephrine</source>
        <translation>Fenilefrina</translation>
    </message>
    <message>
        <source>Dopamine</source>
        <translation>Dopamina</translation>
    </message>
    <message>
        <source>Vasopressin</source>
        <translation>Vasopresina</translation>
    </message>
    <message>
        <source>Angiotensin II</source>
        <translation>Angiotensina II</translation>
    </message>
    <message>
        <source>Alert and awake</source>
        <translation>Alerta y despierto</translation>
    </message>
    <message>
        <source>Drowsy, awakens spontaneously</source>
        <translation>Somnoliento, despierta espontáneamente</translation>
    </message>
    <message>
        <source>Awakens to voice</source>
        <translation>Despierta con la voz</translation>
    </message>
    <message>
        <source>Awakens only to touch</source>
        <translation>Despierta solo al tacto</translation>
    </message>
    <message>
        <source>Unarousable</source>
        <translation>No despertable</translation>
    </message>
    <message>
        <source>No seizure</source>
        <translation>Sin crisis</translation>
    </message>
    <message>
        <source>Seizure, resolved</source>
        <translation>Crisis, resuelta</translation>
    </message>
    <message>
        <source>Prolonged or repeated seizures</source>
        <translation>Crisis prolongadas o repetidas</translation>
    </message>
    <message>
        <source>Rigors</source>
        <translation>Tiritona</translation>
    </message>
    <message>
        <source>Rash</source>
        <translation>Exantema</translation>
    </message>
    <message>
        <source>Headache</source>
        <translation>Cefalea</translation>
    </message>
    <message>
        <source>Nausea</source>
        <translation>Náuseas</translation>
    </message>
    <message>
        <source>Myalgia</source>
        <translation>Mialgias</translation>
    </message>
    <message>
        <source>Vitals</source>
        <translation>Constantes</translation>
    </message>
    <message>
        <source>Infusion started</source>
        <translation>Infusión iniciada</translation>
    </message>
    <message>
        <source>Bag changed</source>
        <extracomment>Timeline events (core.regimen.InfusionEvent.kind) shown as marks.</extracomment>
        <translation>Bolsa cambiada</translation>
    </message>
    <message>
        <source>Infusion stopped</source>
        <translation>Infusión detenida</translation>
    </message>
    <message>
        <source>Infusion resumed</source>
        <translation>Infusión reanudada</translation>
    </message>
    <message>
        <source>Therapy discontinued</source>
        <translation>Tratamiento suspendido</translation>
    </message>
    <message>
        <source>Medication given</source>
        <translation>Medicación administrada</translation>
    </message>
    <message>
        <source>Fluid bolus</source>
        <extracomment>The kinds of record of the Record menu (gui/record_dialogs.py), as the menu and the forms name them.</extracomment>
        <translation>Bolo de líquidos</translation>
    </message>
    <message>
        <source>Vasopressor started</source>
        <translation>Vasopresor iniciado</translation>
    </message>
    <message>
        <source>Vasopressor stopped</source>
        <translation>Vasopresor retirado</translation>
    </message>
    <message>
        <source>Symptom</source>
        <translation>Síntoma</translation>
    </message>
    <message>
        <source>ICE assessment</source>
        <translation>Valoración ICE</translation>
    </message>
    <message>
        <source>Lab result</source>
        <translation>Resultado de laboratorio</translation>
    </message>
    <message>
        <source>Grade confirmed</source>
        <translation>Grado confirmado</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>Corrección</translation>
    </message>
    <message>
        <source>CRS episode closed</source>
        <translation>Episodio de SLC cerrado</translation>
    </message>
    <message>
        <source>Discharged</source>
        <translation>Alta</translation>
    </message>
    <message>
        <source>Patient details changed</source>
        <translation>Datos del paciente cambiados</translation>
    </message>
    <message>
        <source>Escalation</source>
        <translation>Escalada</translation>
    </message>
    <message>
        <source>Observations not done</source>
        <translation>Observaciones no realizadas</translation>
    </message>
    <message>
        <source>CRS treatment</source>
        <translation>Tratamiento del SLC</translation>
    </message>
    <message>
        <source>Oxygen changed</source>
        <translation>Cambio de oxígeno</translation>
    </message>
    <message>
        <source>ICE / neuro assessment</source>
        <translation>Valoración ICE / neurológica</translation>
    </message>
    <message>
        <source>Discharge</source>
        <translation>Alta</translation>
    </message>
    <message>
        <source>Prescriber</source>
        <extracomment>Whom the nurse called (core.records.EscalatedTo).</extracomment>
        <translation>Prescriptor</translation>
    </message>
    <message>
        <source>Nurse in charge</source>
        <translation>Enfermera responsable</translation>
    </message>
    <message>
        <source>Outreach team</source>
        <translation>Equipo de respuesta rápida</translation>
    </message>
    <message>
        <source>ICU</source>
        <translation>UCI</translation>
    </message>
    <message>
        <source>Someone else</source>
        <translation>Otra persona</translation>
    </message>
    <message>
        <source>Coming to see the patient</source>
        <extracomment>What the person called did (core.records.EscalationResponse).</extracomment>
        <translation>Viene a ver al paciente</translation>
    </message>
    <message>
        <source>Gave advice</source>
        <translation>Dio indicaciones</translation>
    </message>
    <message>
        <source>No response</source>
        <translation>Sin respuesta</translation>
    </message>
    <message>
        <source>Declined (reason in the note)</source>
        <translation>Rechazado (motivo en la nota)</translation>
    </message>
    <message>
        <source>Patient refused</source>
        <extracomment>Why observations were not done (core.records.NotDoneReason).</extracomment>
        <translation>El paciente se negó</translation>
    </message>
    <message>
        <source>Off the ward</source>
        <translation>Fuera de la planta</translation>
    </message>
    <message>
        <source>Asleep, not woken</source>
        <translation>Dormido, no se le despertó</translation>
    </message>
    <message>
        <source>Unable to measure</source>
        <translation>No se pudo medir</translation>
    </message>
    <message>
        <source>Other (say why in the note)</source>
        <translation>Otro (explíquelo en la nota)</translation>
    </message>
    <message>
        <source>No oedema</source>
        <extracomment>Cerebral oedema on imaging (core.records.CerebralEdema).</extracomment>
        <translation>Sin edema</translation>
    </message>
    <message>
        <source>Focal oedema</source>
        <translation>Edema focal</translation>
    </message>
    <message>
        <source>Diffuse oedema</source>
        <translation>Edema difuso</translation>
    </message>
    <message>
        <source>CRP</source>
        <extracomment>Common lab tests (lab_result.test is free text; these are offered first).</extracomment>
        <translation>PCR</translation>
    </message>
    <message>
        <source>Ferritin</source>
        <translation>Ferritina</translation>
    </message>
    <message>
        <source>Fibrinogen</source>
        <translation>Fibrinógeno</translation>
    </message>
    <message>
        <source>White cells</source>
        <translation>Leucocitos</translation>
    </message>
    <message>
        <source>Neutrophils (ANC)</source>
        <translation>Neutrófilos (RAN)</translation>
    </message>
    <message>
        <source>Platelets</source>
        <translation>Plaquetas</translation>
    </message>
    <message>
        <source>Haemoglobin</source>
        <translation>Hemoglobina</translation>
    </message>
    <message>
        <source>ALT</source>
        <translation>ALT</translation>
    </message>
    <message>
        <source>CRS</source>
        <translation>SLC</translation>
    </message>
    <message>
        <source>neurotoxicity</source>
        <translation>neurotoxicidad</translation>
    </message>
    <message>
        <source>other adverse event</source>
        <translation>otro efecto adverso</translation>
    </message>
    <message>
        <source>technical</source>
        <translation>técnico</translation>
    </message>
    <message>
        <source>cycle complete</source>
        <translation>ciclo completo</translation>
    </message>
    <message>
        <source>dexamethasone</source>
        <translation>dexametasona</translation>
    </message>
    <message>
        <source>prednisone</source>
        <translation>prednisona</translation>
    </message>
    <message>
        <source>methylprednisolone</source>
        <translation>metilprednisolona</translation>
    </message>
    <message>
        <source>tocilizumab</source>
        <translation>tocilizumab</translation>
    </message>
    <message>
        <source>paracetamol</source>
        <translation>paracetamol</translation>
    </message>
    <message>
        <source>other drug</source>
        <translation>otro fármaco</translation>
    </message>
    <message>
        <source>premedication</source>
        <translation>premedicación</translation>
    </message>
    <message>
        <source>for CRS</source>
        <translation>para el SLC</translation>
    </message>
    <message>
        <source>other purpose</source>
        <translation>otro motivo</translation>
    </message>
    <message>
        <source>Dose step</source>
        <translation>Cambio de dosis</translation>
    </message>
    <message>
        <source>Premedication</source>
        <translation>Premedicación</translation>
    </message>
    <message>
        <source>relapsed/refractory</source>
        <translation>en recaída/refractaria</translation>
    </message>
    <message>
        <source>MRD-positive</source>
        <translation>EMR positiva</translation>
    </message>
    <message>
        <source>consolidation</source>
        <translation>consolidación</translation>
    </message>
    <message>
        <source>female</source>
        <translation>mujer</translation>
    </message>
    <message>
        <source>male</source>
        <translation>hombre</translation>
    </message>
    <message>
        <source>other</source>
        <translation>otro</translation>
    </message>
    <message>
        <source>sex unknown</source>
        <translation>sexo desconocido</translation>
    </message>
    <message>
        <source>temperature</source>
        <translation>temperatura</translation>
    </message>
    <message>
        <source>pulse</source>
        <translation>pulso</translation>
    </message>
    <message>
        <source>respiration rate</source>
        <translation>frecuencia respiratoria</translation>
    </message>
    <message>
        <source>systolic BP</source>
        <translation>PA sistólica</translation>
    </message>
    <message>
        <source>SpO2</source>
        <translation>SpO2</translation>
    </message>
    <message>
        <source>oxygen device</source>
        <translation>dispositivo de oxígeno</translation>
    </message>
    <message>
        <source>oxygen flow</source>
        <translation>flujo de oxígeno</translation>
    </message>
    <message>
        <source>FiO2</source>
        <translation>FiO2</translation>
    </message>
    <message>
        <source>consciousness (ACVPU)</source>
        <translation>nivel de conciencia (ACVPU)</translation>
    </message>
    <message>
        <source>nurse</source>
        <translation>enfermería</translation>
    </message>
    <message>
        <source>clinician</source>
        <translation>médico</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>administración</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>date of birth</source>
        <translation>fecha de nacimiento</translation>
    </message>
    <message>
        <source>sex</source>
        <translation>sexo</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>peso</translation>
    </message>
    <message>
        <source>height</source>
        <translation>talla</translation>
    </message>
    <message>
        <source>indication</source>
        <translation>indicación</translation>
    </message>
    <message>
        <source>diagnosis</source>
        <translation>diagnóstico</translation>
    </message>
    <message>
        <source>ward</source>
        <translation>planta</translation>
    </message>
    <message>
        <source>bed</source>
        <translation>cama</translation>
    </message>
    <message>
        <source>marrow blasts</source>
        <translation>blastos en médula</translation>
    </message>
    <message>
        <source>body surface area</source>
        <translation>superficie corporal</translation>
    </message>
    <message>
        <source>NEWS2 SpO2 scale</source>
        <translation>escala de SpO2 de NEWS2</translation>
    </message>
    <message>
        <source>synthetic demo patient</source>
        <translation>paciente ficticio de demostración</translation>
    </message>
</context>
</TS>
